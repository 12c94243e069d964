using System.Runtime.InteropServices;

namespace Observability.Profiling.Implementation.Spans;

/// <summary>The OS thread id of the calling thread (what EventPipe samples carry), cached per thread.</summary>
internal static partial class OsThread
{
    [ThreadStatic] private static int _cached;
    private static volatile bool _unavailable;

    /// <summary>The id, or 0 when the platform gives none.</summary>
    public static int CurrentId
    {
        get
        {
            var id = _cached;
            if (id != 0 || _unavailable) return id;
            try
            {
                id = OperatingSystem.IsLinux() ? gettid()
                    : OperatingSystem.IsWindows() ? (int)GetCurrentThreadId()
                    : 0;
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                _unavailable = true;
                id = 0;
            }
            _cached = id;
            return id;
        }
    }

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int gettid();

    [LibraryImport("kernel32.dll")]
    private static partial uint GetCurrentThreadId();
}
