namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// The runtime's jitdump file as this process holds it: the runtime opens it read-write and keeps the descriptor while it
/// writes, and closes it when it stops (on a write error), so an open read-write descriptor of the path, on disk or
/// unlinked, is the live writer. Opening <c>/proc/self/fd/N</c> reads the same file even once it is gone from disk.
/// </summary>
internal static class JitDumpFile
{
    private const string Descriptors = "/proc/self/fd";
    private const string Deleted = " (deleted)";
    private const int AccessModeMask = 3;
    private const int ReadWrite = 2;

    /// <summary>The runtime's descriptor of <paramref name="path"/> (<c>/proc/self/fd/N</c>) and whether the path is still on disk; null when none is open.</summary>
    public static (string File, bool OnDisk)? Writer(string path)
    {
        string[] descriptors;
        try
        {
            descriptors = Directory.GetFileSystemEntries(Descriptors);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        foreach (var descriptor in descriptors)
        {
            try
            {
                var target = new FileInfo(descriptor).LinkTarget;
                var onDisk = target == path;
                // Readers (this kit's among them) open it read-only: only the runtime's own descriptor is read-write.
                if ((onDisk || target == path + Deleted) && OpenForWriting(System.IO.Path.GetFileName(descriptor))) return (descriptor, onDisk);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Closed while listed: not the one.
            }
        }
        return null;
    }

    /// <summary>
    /// Polls until <paramref name="path"/> is on disk or the runtime holds it unlinked, for <paramref name="within"/>: what
    /// to open, and whether it is on disk. The writer may have stopped already: what it wrote is still worth reading.
    /// </summary>
    public static (string File, bool OnDisk)? Await(string path, TimeSpan within)
    {
        var deadline = Environment.TickCount64 + (long)within.TotalMilliseconds;
        while (true)
        {
            if (File.Exists(path)) return (path, true);
            if (Writer(path) is { } writer) return writer;
            if (Environment.TickCount64 >= deadline) return null;
            Thread.Sleep(20);
        }
    }

    /// <summary>Why the runtime wrote no jitdump: a missing or read-only directory, else only that it did not.</summary>
    public static string WhyMissing(string directory, string path, TimeSpan within)
    {
        if (!Directory.Exists(directory)) return $"the jitdump directory {directory} does not exist (DOTNET_{JitCodeNames.PathSetting})";
        try
        {
            var probe = System.IO.Path.Combine(directory, $".jitdump-probe-{Environment.ProcessId}");
            using var file = new FileStream(probe, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"the jitdump directory {directory} is not writable (DOTNET_{JitCodeNames.PathSetting}): {e.Message}";
        }
        return $"the runtime wrote no jitdump at {path} within {within.TotalSeconds} s";
    }

    public static bool TryUnlink(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>The descriptor's open flags (octal, in <c>/proc/self/fdinfo/N</c>) have the read-write access mode.</summary>
    private static bool OpenForWriting(string number)
    {
        foreach (var line in File.ReadLines($"/proc/self/fdinfo/{number}"))
        {
            if (!line.StartsWith("flags:", StringComparison.Ordinal)) continue;
            try
            {
                return (Convert.ToInt32(line["flags:".Length..].Trim(), 8) & AccessModeMask) == ReadWrite;
            }
            catch (FormatException)
            {
                return false;
            }
        }
        return false;
    }
}
