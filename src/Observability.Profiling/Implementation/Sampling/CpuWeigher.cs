using Observability.Profiling.Implementation.Profiles;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// Gives CPU samples the CPU time their thread really used. The runtime samples every thread in managed code each
/// period, running or waiting for a core, so on a busy machine counting one period per sample overstates CPU.
/// Samples are held for a short interval; at its end each thread's measured CPU time (<see cref="ThreadCpuClock"/>)
/// over the interval is shared out among that thread's samples. Over a session the shares add up to the threads'
/// CPU time. A thread that used CPU time in an interval without a CPU sample there (a worker that ran a short request
/// between ticks) carries that time to its next sampled interval, for up to <see cref="MaxCarry"/> intervals;
/// after that, or for threads never sampled in managed code (the GC's, the JIT's), the flush hands the time on as the
/// thread's own. Without a per-thread clock every sample keeps one sampling period.
/// </summary>
internal sealed class CpuWeigher
{
    /// <summary>Intervals a thread's unsampled CPU time waits for a sample of that thread (2 s at 250 ms).</summary>
    public const int MaxCarry = 8;

    private readonly List<HeldSample> _pending = new();
    private readonly Dictionary<int, (long Nanos, int Intervals)> _carried = new();
    private readonly Dictionary<int, int> _perThread = new();
    private readonly long _periodNanos;
    private Dictionary<int, long>? _last;

    /// <param name="baseline">Every thread's CPU time when sampling started; null when there is no per-thread clock.</param>
    /// <param name="periodNanos">A sample's value when a thread's CPU time is unknown.</param>
    public CpuWeigher(Dictionary<int, long>? baseline, long periodNanos)
    {
        _last = baseline;
        _periodNanos = periodNanos;
    }

    /// <summary>Samples waiting for the next <see cref="Flush"/>.</summary>
    public int Pending => _pending.Count;

    /// <summary>CPU time of threads that used a CPU but left no CPU sample in their interval (native threads: the GC, the JIT).</summary>
    public long UnsampledNanos { get; private set; }

    /// <summary>CPU time of the profiler's own threads (<see cref="ProfilerThreads"/>), left out of the profiles.</summary>
    public long ProfilerNanos { get; private set; }

    /// <summary>
    /// Holds one CPU sample. <paramref name="profilers"/>: the sample shows the profiler's own work on a shared thread
    /// (a thread-pool thread reading a rundown): its share counts as <see cref="ProfilerNanos"/>, not in the profile.
    /// </summary>
    public void Add(int threadId, string[] frames, SampleLabels labels, DateTime takenAt, bool profilers = false)
    {
        _pending.Add(new HeldSample(threadId, frames, labels, takenAt, profilers));
        _perThread[threadId] = _perThread.GetValueOrDefault(threadId) + 1;
    }

    /// <summary>
    /// Returns every held sample with its weight, in the order taken, and each other thread that used a CPU without
    /// leaving a CPU sample and whose time cannot wait longer, with that time. <paramref name="now"/>: every thread's CPU
    /// time now (null: no clock); <paramref name="isProfilerThread"/> says which threads' time is the profiler's;
    /// <paramref name="final"/>: the session ends, nothing is carried further.
    /// </summary>
    public WeighedCpu Flush(Dictionary<int, long>? now, Func<int, bool> isProfilerThread, bool final = false)
    {
        var result = new WeighedCpu(new List<WeighedSample>(_pending.Count), new List<(int, long)>());
        var last = _last;
        _last = now;
        var weights = new Dictionary<int, (long Each, long Remainder)>(_perThread.Count);
        foreach (var (tid, count) in _perThread)
        {
            if (Delta(last, now, tid) is { } delta)
            {
                if (_carried.Remove(tid, out var carried)) delta += carried.Nanos;
                weights[tid] = (delta / count, delta % count);
            }
            else
            {
                // No clock: one period per sample. With a clock, a thread that ended before the read (or whose id
                // came back) has unknown CPU time: a tick count would count it blocked as well as running, so its held
                // samples are dropped. Long-lived threads (the thread pool's, the server's) are never in this case.
                weights[tid] = last is null || now is null ? (_periodNanos, 0) : (0, 0);
            }
        }
        if (last is not null && now is not null)
        {
            foreach (var (tid, cpu) in now)
            {
                if (_perThread.ContainsKey(tid) || Delta(last, now, tid) is not { } delta || delta == 0) continue;
                if (isProfilerThread(tid))
                {
                    ProfilerNanos += delta;
                    continue;
                }
                var carried = _carried.GetValueOrDefault(tid);
                _carried[tid] = (carried.Nanos + delta, carried.Intervals);
            }
        }
        // Carried time that waited long enough, or whose thread ended, or the session's end: the thread's own frame.
        foreach (var tid in _carried.Keys.ToArray())
        {
            var (nanos, intervals) = _carried[tid];
            if (final || intervals + 1 >= MaxCarry || now is null || !now.ContainsKey(tid))
            {
                _carried.Remove(tid);
                UnsampledNanos += nanos;
                result.Unsampled.Add((tid, nanos));
            }
            else
            {
                _carried[tid] = (nanos, intervals + 1);
            }
        }
        foreach (var sample in _pending)
        {
            var (each, remainder) = weights[sample.ThreadId];
            // The first samples of a thread carry the division's remainder, so the shares add up exactly.
            var value = each;
            if (remainder > 0)
            {
                value++;
                weights[sample.ThreadId] = (each, remainder - 1);
            }
            if (value <= 0) continue;
            if (sample.Profilers) ProfilerNanos += value;
            else result.Samples.Add(new WeighedSample(sample.Frames, sample.Labels, value, sample.TakenAt));
        }
        _pending.Clear();
        _perThread.Clear();
        return result;
    }

    /// <summary>A thread's CPU time over the interval; null when unknown (no clock, or the thread ended before the read).</summary>
    private static long? Delta(Dictionary<int, long>? last, Dictionary<int, long>? now, int tid)
    {
        if (last is null || now is null || !now.TryGetValue(tid, out var current)) return null;
        // A thread born during the interval used all its CPU time in it.
        var before = last.GetValueOrDefault(tid);
        return current >= before ? current - before : null;
    }

    private readonly record struct HeldSample(int ThreadId, string[] Frames, SampleLabels Labels, DateTime TakenAt, bool Profilers);
}

/// <summary>What a flush hands on: the held samples with their CPU time, and the unsampled threads' time.</summary>
internal sealed record WeighedCpu(List<WeighedSample> Samples, List<(int ThreadId, long Nanos)> Unsampled);

/// <summary>A CPU sample and the CPU time it stands for.</summary>
internal readonly record struct WeighedSample(string[] Frames, SampleLabels Labels, long Nanos, DateTime TakenAt);
