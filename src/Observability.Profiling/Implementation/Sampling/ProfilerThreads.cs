namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// The OS threads that belong to the profiler itself (the session reader, the scheduler, the threads that open and
/// stop sessions, and the runtime's own EventPipe threads): their samples are left out of the application's profiles,
/// and their CPU time is counted as the profiler's cost instead.
/// </summary>
internal static class ProfilerThreads
{
    // Names the runtime gives its sampling and EventPipe threads (/proc/self/task/*/comm, cut at 15 bytes).
    private static readonly string[] RuntimeThreadNames = { ".NET SampleProf", ".NET EventPipe" };
    private static readonly object Gate = new();
    private static volatile int[] _ids = Array.Empty<int>();
    private static volatile int[] _selfTimed = Array.Empty<int>();
    private static readonly Queue<int> Departed = new();
    private const int KeepDeparted = 16;

    /// <summary>
    /// Marks the calling thread as the profiler's until the returned handle is disposed. <paramref name="selfTimed"/>:
    /// the thread measures its own CPU time (short-lived threads that open or stop a session), so a session's
    /// accounting must not count it again.
    /// </summary>
    public static Registration Enter(bool selfTimed = false)
    {
        var id = Spans.OsThread.CurrentId;
        if (id == 0) return default;
        lock (Gate)
        {
            _ids = _ids.Append(id).ToArray();
            if (selfTimed) _selfTimed = _selfTimed.Append(id).ToArray();
        }
        return new Registration(id);
    }

    /// <summary>Whether a thread's samples belong to the profiler.</summary>
    public static bool Contains(int threadId) => Array.IndexOf(_ids, threadId) >= 0;

    /// <summary>Whether a session should count this thread's CPU time as the profiler's (registered and not self-timed).</summary>
    public static bool CountedBySession(int threadId) => Contains(threadId) && Array.IndexOf(_selfTimed, threadId) < 0;

    /// <summary>Whether a thread name (<see cref="NameOf"/>) is one the runtime gives its profiling threads.</summary>
    public static bool IsRuntimeProfilerThread(string name)
    {
        foreach (var known in RuntimeThreadNames)
        {
            if (name.StartsWith(known, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>The OS name of one of this process's threads (at most 15 bytes on Linux); empty when unknown.</summary>
    public static string NameOf(int threadId)
    {
        if (!OperatingSystem.IsLinux()) return "";
        try
        {
            return File.ReadAllText($"{ThreadCpuClock.TaskFolder}/{threadId}/comm").TrimEnd('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    private static void Leave(int id)
    {
        lock (Gate)
        {
            // Its last samples reach the reader after it ended (the runtime buffers events): the id stays known for a
            // while, among the most recent departed ones. Linux hands out thread ids in increasing order, so an id
            // comes back only after the counter wraps.
            Departed.Enqueue(id);
            while (Departed.Count > KeepDeparted)
            {
                var old = Departed.Dequeue();
                _ids = _ids.Where(x => x != old).ToArray();
                _selfTimed = _selfTimed.Where(x => x != old).ToArray();
            }
        }
    }

    public readonly struct Registration : IDisposable
    {
        private readonly int _id;

        public Registration(int id) => _id = id;

        public void Dispose()
        {
            if (_id != 0) Leave(_id);
        }
    }
}
