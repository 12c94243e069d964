namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// One executable mapping of this process, as <c>/proc/self/maps</c> lists it: [<see cref="Start"/>, <see cref="End"/>)
/// maps the file <see cref="Path"/> from <see cref="FileOffset"/> on. <see cref="Path"/> is null for anonymous memory,
/// the bracketed name for the kernel's special mappings (<c>[vdso]</c>), else a path without the <c> (deleted)</c>
/// suffix, which sets <see cref="Deleted"/>.
/// </summary>
internal sealed record CodeMapping(ulong Start, ulong End, ulong FileOffset, string? Path, bool Deleted)
{
    // The runtime's executable code heaps are double mapped from a memfd (W^X), so JIT'd code lies in file mappings too.
    private const string MemfdPrefix = "/memfd:";

    /// <summary>The file name (<c>libcrypto.so.3</c>), the special mapping's name (<c>[vdso]</c>), or null for anonymous memory.</summary>
    public string? ModuleName { get; } = NameOf(Path);

    /// <summary>A mapping of a file on disk: its bytes can be read back from <see cref="Path"/>.</summary>
    public bool IsFile => Path is not null && Path.StartsWith('/') && !Deleted && !IsRuntimeCode;

    /// <summary>Anonymous memory or a memfd: code the runtime generated (JIT'd methods, stubs), named from other tables.</summary>
    public bool IsRuntimeCode => Path is null || Path.StartsWith(MemfdPrefix, StringComparison.Ordinal);

    /// <summary>Whether <paramref name="address"/> is inside the mapping.</summary>
    public bool Contains(ulong address) => address >= Start && address < End;

    /// <summary>The offset in the mapped file of <paramref name="address"/> (which must be inside the mapping).</summary>
    public ulong FileOffsetOf(ulong address) => address - Start + FileOffset;

    private static string? NameOf(string? path)
    {
        if (path is null) return null;
        if (!path.StartsWith('/')) return path;
        var slash = path.LastIndexOf('/');
        return slash < path.Length - 1 ? path[(slash + 1)..] : path;
    }
}
