namespace Observability.Profiling.Implementation.Sampling;

/// <summary>Frame text rules: <c>Namespace.Type.Method</c> without the parameter list; which leaves are waits or GC polls.</summary>
internal static class FrameNames
{
    public const string Unknown = "[unknown]";

    /// <summary>The one frame of a thread that used CPU time without being sampled in managed code (the GC's, the JIT's).</summary>
    public static string Thread(string osName) => osName.Length == 0 ? "[thread]" : $"[thread: {osName}]";

    private static readonly HashSet<string> WaitLeaves = new(StringComparer.Ordinal)
    {
        "System.Threading.Thread.Sleep",
        "System.Threading.Thread.SleepInternal",
        "System.Threading.Monitor.Wait",
        "System.Threading.Monitor.ObjWait",
        "System.Threading.WaitHandle.WaitOneCore",
        "System.Threading.WaitHandle.WaitOneNoCheck",
        "System.Threading.ManualResetEventSlim.Wait",
        "System.Threading.SemaphoreSlim.Wait",
        "System.Threading.LowLevelLifoSemaphore.Wait",
        "System.Threading.WaitHandle.WaitMultipleIgnoringSyncContext",
        "System.Threading.LowLevelLifoSemaphore.WaitForSignal",
        "System.Threading.LowLevelLifoSemaphore.WaitNative",
        "System.Threading.LowLevelMonitor.WaitCore",
        "System.Threading.LowLevelMonitor.Wait",
        "System.Threading.PortableThreadPool+WorkerThread.WorkerThreadStart",
        "Interop+Sys.WaitForSocketEvents",
        "Interop+Sys.Poll",
        // The socket engine's epoll wait is an inlined P/Invoke: the thread shows its caller as the leaf.
        "System.Net.Sockets.SocketAsyncEngine.EventLoop",
        // Idle thread-pool workers spin briefly before they block; that is idling, not the app's work.
        "System.Threading.LowLevelSpinWaiter.Wait",
    };

    // Frames of a thread blocked outside managed code (in a wait, a sleep, a blocking read).
    private static readonly string[] BlockingPrefixes =
    {
        "System.Threading.WaitHandle.", "System.Threading.Monitor.", "System.Threading.LowLevel",
        "System.Threading.Thread.Sleep", "System.Threading.Thread.Join", "System.Threading.SemaphoreSlim.Wait",
        "System.Threading.ManualResetEventSlim.Wait", "System.Threading.WaitSubsystem", "System.Threading.SpinWait",
        "System.Threading.Tasks.Task.SpinThenBlockingWait", "System.Threading.Tasks.Task.InternalWait",
        "System.Threading.Tasks.Task.Wait", "System.Threading.TimerQueue.TimerThread",
        "Interop+Sys.WaitForSocketEvents", "Interop+Sys.Poll", "Interop+Sys.Read", "Interop+Sys.Receive",
        "Interop+Sys.Accept", "Interop+Sys.Connect",
        "System.Net.Sockets.Socket.Receive", "System.Net.Sockets.Socket.Accept", "System.Net.Sockets.Socket.Connect",
        "System.Net.Sockets.SocketPal.Receive",
        // A non-blocking send returns in microseconds of CPU; a request thread seen there is, as a rule, descheduled
        // inside the call (measured on Articles.Api: counting these made the CPU profile twice the process's CPU time).
        "System.Net.Sockets.SocketPal.TryCompleteSend", "System.Net.Sockets.SocketPal.Send", "Interop+Sys.Send",
        "System.IO.FileStream.Read", "System.IO.RandomAccess.ReadAtOffset",
        "System.IO.StreamReader.Read", "System.Console", "System.IO.FileSystemWatcher",
    };

    /// <summary>
    /// A sample taken outside managed code is CPU time (crypto, compression in native libraries) unless a
    /// frame near the leaf shows the thread blocked.
    /// </summary>
    public static bool IsBlockedOutsideManagedCode(string[] rootFirst)
    {
        var checkedFrames = 0;
        for (var i = rootFirst.Length - 1; i >= 0 && checkedFrames < 4; i--)
        {
            var frame = rootFirst[i];
            if (frame == Unknown) continue;
            checkedFrames++;
            if (WaitLeaves.Contains(frame)) return true;
            foreach (var prefix in BlockingPrefixes)
            {
                if (frame.StartsWith(prefix, StringComparison.Ordinal)) return true;
            }
        }
        return false;
    }

    /// <summary>Strips the argument list that TraceEvent appends.</summary>
    public static string Clean(string? fullMethodName)
    {
        if (string.IsNullOrEmpty(fullMethodName)) return Unknown;
        var paren = fullMethodName.IndexOf('(');
        return paren > 0 ? fullMethodName[..paren] : fullMethodName;
    }

    /// <summary>
    /// Whether a stack shows the profiler's own work on a thread it does not own (TraceEvent reading a rundown on the
    /// thread pool, the diagnostics client connecting, a debug capture's continuation, a span end reading the perf
    /// rings): left out of the application's CPU profile.
    /// </summary>
    public static bool IsProfilerWork(string[] rootFirst)
    {
        foreach (var frame in rootFirst)
        {
            if (frame.StartsWith("Microsoft.Diagnostics.", StringComparison.Ordinal) ||
                frame.StartsWith("Observability.Profiling.Implementation.Sampling.", StringComparison.Ordinal) ||
                frame.StartsWith("Observability.Profiling.Implementation.Perf.", StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>
    /// The runtime suspends a running thread at a GC poll to sample it, so the poll helper shows up as the
    /// leaf of busy loops; the time belongs to its caller.
    /// </summary>
    public static bool IsGcPoll(string frame) =>
        frame.StartsWith("System.Threading.Thread.<PollGC>", StringComparison.Ordinal) ||
        frame == "System.Threading.Thread.PollGC";

    /// <summary>A leaf where the thread waits rather than runs: not CPU time.</summary>
    public static bool IsWait(string leaf) => WaitLeaves.Contains(leaf);
}
