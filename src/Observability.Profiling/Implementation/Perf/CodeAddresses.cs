using Observability.Profiling.Implementation.Perf.Symbols;

namespace Observability.Profiling.Implementation.Perf;

/// <summary>The stack walker's view of this process's code: the runtime's methods (jitdump) and the mapped modules.</summary>
internal sealed class CodeAddresses : ICodeAddresses
{
    private readonly CodeRangeTable _managed;
    private readonly NativeSymbols _native;

    public CodeAddresses(CodeRangeTable managed, NativeSymbols native)
    {
        _managed = managed;
        _native = native;
    }

    /// <summary>Named code counts even before the next read of the maps sees a code heap or an image mapped since.</summary>
    public bool IsExecutable(ulong address) => _native.IsExecutable(address) || _managed.Contains(address);

    public bool SameMethod(ulong first, ulong second) => _managed.Find(first) is { } name && ReferenceEquals(name, _managed.Find(second));

    /// <summary>
    /// Named by the runtime, or in memory only managed code lives in: the runtime's code heaps and ReadyToRun images
    /// (<c>.dll</c>). The names may come later (the jitdump's writer restarts after it stops), but such code keeps its
    /// frame records, so a walk can go through it meanwhile.
    /// </summary>
    public bool IsManaged(ulong address) =>
        _managed.Contains(address) ||
        _native.Maps.Find(address) is { } mapping &&
        (mapping.IsRuntimeCode || mapping.ModuleName?.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) == true);

    public bool IsCallSite(ulong address) => _native.IsCallSite(address);

    public bool IsThreadRoot(ulong address) =>
        _native.Name(address) is { } name &&
        (name.StartsWith("libc.so", StringComparison.Ordinal) || name.StartsWith("libc-", StringComparison.Ordinal) ||
         name.StartsWith("ld-musl", StringComparison.Ordinal));
}
