using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Sampling;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Profiling.Implementation.Perf;

/// <summary>
/// Turns perf samples into CPU profile entries: walks and names the stack, labels it with the local-root span its
/// thread ran at the sample's time, and publishes one sampling period of CPU time to the hubs. Samples of the
/// profiler's own threads, and of the profiler's work on shared threads, are counted apart instead.
/// </summary>
internal sealed class PerfSampleProcessor
{
    private readonly StackWalker _walker;
    private readonly PerfFrameNamer _namer;
    private readonly long _periodNanos;
    private readonly int _pid = Environment.ProcessId;
    private readonly List<ulong> _addresses = new(128);
    private readonly Dictionary<int, ThreadInfo> _threads = new();
    private readonly DateTime _utcAtZero;

    public PerfSampleProcessor(StackWalker walker, PerfFrameNamer namer, long periodNanos)
    {
        _walker = walker;
        _namer = namer;
        _periodNanos = periodNanos;
        // Sample times are CLOCK_MONOTONIC nanoseconds, which is what Stopwatch reads on Linux.
        _utcAtZero = DateTime.UtcNow - TimeSpan.FromSeconds((double)System.Diagnostics.Stopwatch.GetTimestamp() / System.Diagnostics.Stopwatch.Frequency);
    }

    public long Samples { get; private set; }

    /// <summary>CPU time of the profiler's own threads and work, left out of the profiles.</summary>
    public long ProfilerNanos { get; private set; }

    /// <summary>Samples by how their stack was walked (<see cref="StackWalk"/>).</summary>
    public long[] Walks { get; } = new long[3];

    /// <summary>A thread's name and whether it is the profiler's, learned when it is first seen.</summary>
    public void Forget(int tid) => _threads.Remove(tid);

    public void Process(in PerfSample sample, ProfileHub[] hubs)
    {
        if (sample.Pid != _pid) return;
        Samples++;
        var thread = Thread(sample.Tid);
        if (thread.Profiler || ProfilerThreads.Contains(sample.Tid))
        {
            ProfilerNanos += _periodNanos;
            return;
        }
        var walk = _walker.Walk(sample, _addresses);
        Walks[(int)walk]++;
        if (_addresses.Count == 0) return;
        var frames = _namer.Name(_addresses, thread.Name);
        if (FrameNames.IsProfilerWork(frames))
        {
            ProfilerNanos += _periodNanos;
            return;
        }
        var timestamp = ToStopwatch(sample.Time);
        var root = ThreadSpanTracker.Find(sample.Tid, timestamp);
        SampleLabels labels;
        if (root is { } span)
        {
            RecentSpans.MarkSampled(span.SpanId);
            labels = new SampleLabels(span.SpanIdHex(), span.TraceIdHex(), span.Labels?.TestId, span.Labels?.Scenario);
        }
        else
        {
            labels = SampleLabels.None;
        }
        var takenAt = _utcAtZero + TimeSpan.FromSeconds((double)timestamp / System.Diagnostics.Stopwatch.Frequency);
        foreach (var hub in hubs)
        {
            var depth = hub.Options.MaxStackDepth;
            hub.Publish(ProfileKind.Cpu, frames.Length <= depth ? frames : frames[..depth], labels, _periodNanos, takenAt);
        }
    }

    /// <summary>A CLOCK_MONOTONIC time in nanoseconds as a Stopwatch timestamp (the same clock on Linux).</summary>
    public static long ToStopwatch(ulong monotonicNanos) =>
        System.Diagnostics.Stopwatch.Frequency == 1_000_000_000
            ? (long)monotonicNanos
            : (long)(monotonicNanos / 1e9 * System.Diagnostics.Stopwatch.Frequency);

    /// <summary>The thread's OS name, as its stacks are rooted.</summary>
    public string ThreadName(int tid) => Thread(tid).Name;

    /// <summary>Whether the thread is the profiler's (by name, or registered).</summary>
    public bool IsProfilerThread(int tid) => Thread(tid).Profiler || ProfilerThreads.Contains(tid);

    private ThreadInfo Thread(int tid)
    {
        if (_threads.TryGetValue(tid, out var info)) return info;
        var name = ProfilerThreads.NameOf(tid);
        info = new ThreadInfo(name, ProfilerThreads.IsRuntimeProfilerThread(name));
        // Bounded by the process's live threads: the sampler forgets a thread when it ends.
        _threads[tid] = info;
        return info;
    }

    private readonly record struct ThreadInfo(string Name, bool Profiler);
}
