using Microsoft.Win32.SafeHandles;

namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// Reads bytes of mapped module files from disk, where reading them cannot fault the process as reading its own
/// memory at a doubtful address could. Keeps a bounded set of open handles; a file that would not open is remembered
/// as such until the set is cleared.
/// </summary>
internal sealed class ModuleFiles : IDisposable
{
    /// <summary>Files held open at most; past this all are closed and opened again as needed.</summary>
    public const int MaxOpenFiles = 64;

    private readonly Dictionary<string, SafeFileHandle?> _handles = new(StringComparer.Ordinal);

    /// <summary>Fills <paramref name="into"/> from <paramref name="path"/> at <paramref name="offset"/>; false if the file cannot give all of it.</summary>
    public bool TryRead(string path, ulong offset, Span<byte> into)
    {
        if (offset > long.MaxValue || Open(path) is not { } handle) return false;
        try
        {
            return RandomAccess.Read(handle, into, (long)offset) == into.Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return false;
        }
    }

    private SafeFileHandle? Open(string path)
    {
        if (_handles.TryGetValue(path, out var known)) return known;
        if (_handles.Count >= MaxOpenFiles) Close();
        SafeFileHandle? handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            handle = null;
        }
        _handles[path] = handle;
        return handle;
    }

    private void Close()
    {
        foreach (var handle in _handles.Values) handle?.Dispose();
        _handles.Clear();
    }

    /// <summary>Closes every open file.</summary>
    public void Dispose() => Close();
}
