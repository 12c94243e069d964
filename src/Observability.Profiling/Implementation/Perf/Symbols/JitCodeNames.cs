using System.Globalization;
using Microsoft.Diagnostics.NETCore.Client;

namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// Names of this process's JIT'd and ReadyToRun code, from the runtime's jitdump. <see cref="Start"/> asks the runtime
/// for it through its diagnostics port (unless <c>DOTNET_PerfMapEnabled</c> turned it on), opens it and unlinks it: the
/// runtime keeps writing to its open descriptor, the reader reads the same file, and nothing is left on disk. Asked, the
/// runtime logs every method that has code, then each new one. .NET 10 runtimes stop writing for good when a stub block
/// cannot be read (dotnet/runtime#132935); asked again, they start a new file with every method: <see cref="Refresh"/>
/// does that when its reader sees the writer stopped. Used from one thread (the sampler's), as its <see cref="Table"/> is.
/// </summary>
internal sealed class JitCodeNames : IDisposable
{
    /// <summary>Where the runtime writes <c>jit-PID.dump</c> (default <c>/tmp</c>), read with its prefixes as the runtime does.</summary>
    public const string PathSetting = "PerfMapJitDumpPath";

    /// <summary>1 (perf map and jitdump) or 2 (jitdump) when the process starts turns the jitdump on.</summary>
    public const string EnabledSetting = "PerfMapEnabled";

    // Both the perf map and the jitdump: JIT'd code from the perf map (its writer never stops), ReadyToRun code from the jitdump.
    private const int PerfMapAndJitDump = 1;
    private static readonly TimeSpan AppearWithin = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RestartEvery = TimeSpan.FromSeconds(2);

    /// <summary>A record left half-written this long means the writer stopped (it writes a record in one call).</summary>
    private static readonly TimeSpan StoppedAfter = TimeSpan.FromMilliseconds(500);
    private static readonly object Gate = new();

    private readonly string _directory;
    private readonly bool _owned;
    private JitDumpReader _reader;
    private PerfMapReader? _perfMap;
    private long _nextRestart;

    private JitCodeNames(JitDumpReader reader, string directory, string path, bool owned)
    {
        _reader = reader;
        _directory = directory;
        Path = path;
        _owned = owned;
    }

    public CodeRangeTable Table { get; } = new();

    /// <summary>The jitdump's path; not on disk once read unless <c>DOTNET_PerfMapEnabled</c> turned it on.</summary>
    public string Path { get; }

    /// <summary>Times the runtime was asked again for a jitdump after its writer stopped.</summary>
    public int Restarts { get; private set; }

    /// <summary>Why names stopped coming (an unreadable record, or a writer that stopped and was not restarted), or null.</summary>
    public string? Problem => _reader.Corrupt ?? _reader.Stalled;

    /// <summary>Starts reading the jitdump and reads what it holds; null, with <paramref name="problem"/> saying why, when it cannot.</summary>
    public static JitCodeNames? Start(out string? problem)
    {
        if (!OperatingSystem.IsLinux())
        {
            problem = "the runtime writes its jitdump for perf only on Linux";
            return null;
        }
        var directory = Setting(PathSetting) ?? "/tmp";
        // Full and normalized, as the kernel names the runtime's descriptor of it.
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, $"jit-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.dump"));
        // A jitdump the user turned on is theirs: read where it is, never asked for again nor removed.
        var owned = Setting(EnabledSetting) is not ("1" or "2");
        var reader = owned ? Open(directory, path, out problem) : OpenExisting(path, out problem);
        if (reader is null) return null;
        var names = new JitCodeNames(reader, directory, path, owned) { _perfMap = OpenPerfMap(directory, owned) };
        names.Refresh();
        // A file left by an earlier process of the same id, which the runtime could not replace, is not ours.
        problem = reader.Corrupt is { } corrupt ? $"the jitdump {path} cannot be read: {corrupt}"
            : reader.ProcessId is not 0 && reader.ProcessId != Environment.ProcessId ? $"the jitdump {path} was written by process {reader.ProcessId}"
            : null;
        if (problem is null) return names;
        names.Dispose();
        return null;
    }

    /// <summary>Reads what the runtime wrote since the last call, asking for a new jitdump if its writer stopped; the number of ranges added.</summary>
    public int Refresh()
    {
        var added = _reader.ReadNew(Table) + (_perfMap?.ReadNew(Table) ?? 0);
        if (_reader.Stalled is null || !_owned || Environment.TickCount64 < _nextRestart) return added;
        _nextRestart = Environment.TickCount64 + (long)RestartEvery.TotalMilliseconds;
        // The new file starts with every method that has code: those compiled while nothing was written too.
        if (Open(_directory, Path, out _) is not { } reader) return added;
        _reader.Dispose();
        _reader = reader;
        Restarts++;
        return added + _reader.ReadNew(Table);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _perfMap?.Dispose();
    }

    /// <summary>The runtime's perf map, written alongside the jitdump; unlinked once open when this process asked for it.</summary>
    private static PerfMapReader? OpenPerfMap(string directory, bool owned)
    {
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(directory, $"perf-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.map"));
        try
        {
            var reader = new PerfMapReader(path);
            if (owned && Setting(EnabledSetting) is not "3") JitDumpFile.TryUnlink(path);
            return reader;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without it, JIT'd code is named from the jitdump alone.
            return null;
        }
    }

    /// <summary>A runtime setting as the runtime reads it: <c>DOTNET_</c> first, then <c>COMPlus_</c>.</summary>
    internal static string? Setting(string name) =>
        Environment.GetEnvironmentVariable("DOTNET_" + name)?.Trim() ?? Environment.GetEnvironmentVariable("COMPlus_" + name)?.Trim();

    /// <summary>Opens the jitdump the runtime writes now, asking for one when it writes none, and unlinks it when it asked.</summary>
    private static JitDumpReader? Open(string directory, string path, out string? problem)
    {
        lock (Gate)
        {
            problem = null;
            // Another reader of this process may have unlinked the file the runtime still writes: read that one.
            var file = JitDumpFile.Writer(path);
            var asked = file is null;
            if (asked)
            {
                if (DiagnosticsOff() is { } off) return Fail(out problem, off);
                try
                {
                    new DiagnosticsClient(Environment.ProcessId).EnablePerfMap((PerfMapType)PerfMapAndJitDump);
                }
                catch (Exception e)
                {
                    return Fail(out problem, $"the runtime did not turn its jitdump on through its diagnostics port ({e.GetType().Name}: {e.Message})");
                }
                file = JitDumpFile.Await(path, AppearWithin);
                if (file is null) return Fail(out problem, JitDumpFile.WhyMissing(directory, path, AppearWithin));
            }
            var reader = OpenReader(file!.Value.File, path, out problem);
            // Only a file this process asked for is removed; one another tool asked for stays.
            if (asked && file.Value.OnDisk) JitDumpFile.TryUnlink(path);
            return reader;
        }
    }

    private static JitDumpReader? OpenExisting(string path, out string? problem)
    {
        var file = JitDumpFile.Await(path, AppearWithin);
        return file is null ? Fail(out problem, $"DOTNET_{EnabledSetting} is set, but the runtime writes no jitdump at {path}") : OpenReader(file.Value.File, path, out problem);
    }

    private static JitDumpReader? OpenReader(string file, string path, out string? problem)
    {
        problem = null;
        try
        {
            return new JitDumpReader(file, StoppedAfter);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(out problem, $"the jitdump {path} could not be opened: {e.Message}");
        }
    }

    private static string? DiagnosticsOff()
    {
        if (Setting("EnableDiagnostics") == "0") return "the runtime's diagnostics port is off (DOTNET_EnableDiagnostics=0), and the jitdump is turned on through it";
        if (Setting("EnableDiagnostics_IPC") == "0") return "the runtime's diagnostics port is off (DOTNET_EnableDiagnostics_IPC=0), and the jitdump is turned on through it";
        return null;
    }

    private static JitDumpReader? Fail(out string? problem, string reason)
    {
        problem = reason;
        return null;
    }
}
