using System.Diagnostics;
using Microsoft.Diagnostics.Tracing;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// Where an EventPipe session's samples go, on its reader thread: each sample to the wall profile of its request, and
/// (unless perf events take the CPU samples) to the CPU profile once <see cref="CpuWeigher"/> knows its weight. Also
/// tells captures when the CPU samples taken up to a moment have reached the hubs.
/// </summary>
internal sealed class EventPipeSampleRouter
{
    private static readonly Guid SampleProfilerProvider = new("3c530d44-97ae-513a-1e6d-783e8f8e03a9");
    private const int ThreadSampleManaged = 2;
    private const int MaxInternedCallStacks = 30_000;

    /// <summary>How long CPU samples wait for their weights (<see cref="CpuWeigher"/>); also bounds a debug capture's extra wait.</summary>
    internal static readonly TimeSpan CpuFlushInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>A held CPU sample buffer is handed on early past this many samples.</summary>
    private const int MaxPendingCpuSamples = 50_000;

    private readonly Func<ProfileHub[]> _hubs;
    private readonly long _periodNanos;
    private readonly Action? _onSample;
    private volatile TaskCompletionSource<bool> _cpuFlushed = NewSignal();
    private long _cpuFlushedUpTo; // Stopwatch ticks: CPU samples taken up to here have reached the hubs
    private volatile bool _sessionLive; // from a session's start until its reader ended
    private long _samplesSeen;

    /// <param name="hubs">The hubs attached now (read once per sample).</param>
    /// <param name="periodNanos">The runtime's sampling interval: the value of one wall sample.</param>
    /// <param name="onSample">Runs on the reader thread for each sample, before it is handled: lets a test hold the reader.</param>
    public EventPipeSampleRouter(Func<ProfileHub[]> hubs, long periodNanos, Action? onSample = null)
    {
        _hubs = hubs;
        _periodNanos = periodNanos;
        _onSample = onSample;
    }

    /// <summary>Set while the perf sampler takes the CPU samples: sessions then feed the wall profile only.</summary>
    public volatile bool CpuFromPerf;

    public long SamplesSeen => Interlocked.Read(ref _samplesSeen);

    /// <summary>A session started: captures wait for its CPU samples from now on.</summary>
    public void SessionStarted() => _sessionLive = true;

    /// <summary>The session's reader ended (or the sampler failed): nothing more will be flushed, no capture waits.</summary>
    public void SessionEnded()
    {
        _sessionLive = false;
        _cpuFlushed.TrySetResult(true);
    }

    /// <summary>
    /// Waits until CPU samples taken up to now have been handed to the hubs (they wait up to
    /// <see cref="CpuFlushInterval"/> for their weights), at most <paramref name="limit"/>.
    /// </summary>
    public async Task WaitForCpuSamplesAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var upTo = Stopwatch.GetTimestamp();
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Interlocked.Read(ref _cpuFlushedUpTo) < upTo && _sessionLive)
        {
            var left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0) return;
            try
            {
                await _cpuFlushed.Task.WaitAsync(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency), cancellationToken);
            }
            catch (TimeoutException)
            {
                return;
            }
        }
    }

    /// <summary>Takes one event of the session (reader thread).</summary>
    public void OnEvent(TraceEvent e, SamplingSession session)
    {
        if (e.ProviderGuid != SampleProfilerProvider) return;
        var hubs = _hubs();
        if (hubs.Length == 0) return;
        _onSample?.Invoke();
        Interlocked.Increment(ref _samplesSeen);
#pragma warning disable CS0618 // The raw QPC value is what matches Stopwatch timestamps.
        session.LastEventTimestamp = e.TimeStampQPC;
#pragma warning restore CS0618
        if (Stopwatch.GetTimestamp() >= session.NextCpuFlush || session.Cpu.Pending >= MaxPendingCpuSamples) FlushCpu(session, final: false);
        // The profiler's own threads (this reader above all) are its cost, not the application's: left out, counted apart.
        if (ProfilerThreads.Contains(e.ThreadID)) return;
        var resolver = session.Resolver;

        try
        {
            var managed = ReadSampleType(e) == ThreadSampleManaged;
#pragma warning disable CS0618 // Discouraged, not obsolete: the raw QPC value is what matches Stopwatch timestamps.
            var root = ThreadSpanTracker.Find(e.ThreadID, e.TimeStampQPC);
#pragma warning restore CS0618
            // Most samples are of idle threads outside any request: skip them before resolving a stack. With perf events
            // taking the CPU samples, only request threads (the wall profile) matter here.
            if (root is null && (!managed || CpuFromPerf)) return;

            var frames = resolver.Resolve(e, hubs[0].Options.MaxStackDepth);
            if (frames.Length == 0) return;
            // CPU: threads in managed code (not in a wait method), and request threads outside managed code
            // unless their stack shows them blocked: native work done for a request (RS256 signature
            // checks run in OpenSSL) is CPU time. Other threads outside managed code are idle as a rule.
            var cpu = !CpuFromPerf && (managed
                ? !FrameNames.IsWait(frames[^1])
                : root is not null && !FrameNames.IsBlockedOutsideManagedCode(frames));
            var labels = root is { } span
                ? new SampleLabels(span.SpanIdHex(), span.TraceIdHex(), span.Labels?.TestId, span.Labels?.Scenario)
                : SampleLabels.None;
            var takenAt = e.TimeStamp.ToUniversalTime();
            // CPU samples wait for their thread's measured CPU time (CpuWeigher); wall samples count one period each.
            if (cpu) session.Cpu.Add(e.ThreadID, frames, labels, takenAt, profilers: root is null && FrameNames.IsProfilerWork(frames));
            if (root is not null)
            {
                foreach (var hub in hubs) hub.Publish(ProfileKind.Wall, frames, labels, _periodNanos, takenAt);
            }

            // A session's TraceLog interns every distinct stack while it lives; release them now and then.
            if (resolver.Log.CallStacks.Count > MaxInternedCallStacks) resolver.Log.TrimLiveSessionState();
        }
        catch (Exception) when (!Debugger.IsAttached)
        {
            // A malformed event must not end the session; the sample is lost.
            foreach (var hub in hubs) hub.Metrics.Dropped.WithLabels(ProfileKind.Cpu.Id(), "bad_sample").Inc();
        }
    }

    /// <summary>Hands the session's held CPU samples to the hubs with their weights; on the reader thread only. <paramref name="final"/>: the reader ended, nothing is held back.</summary>
    public void FlushCpu(SamplingSession session, bool final)
    {
        // What the reader has read so far: under load it runs behind the clock, and a debug capture must wait for the
        // samples taken before its end, not for a flush that happened after it. At the session's end, everything.
        var upTo = final ? Stopwatch.GetTimestamp() : session.LastEventTimestamp;
        session.NextCpuFlush = Stopwatch.GetTimestamp() + (long)(CpuFlushInterval.TotalSeconds * Stopwatch.Frequency);
        var hubs = CpuFromPerf ? Array.Empty<ProfileHub>() : _hubs(); // Perf events count CPU time, this session's threads included.
        var profilerBefore = session.Cpu.ProfilerNanos;
        var weighed = session.Cpu.Flush(
            ThreadCpuClock.ReadAll(),
            tid => ProfilerThreads.CountedBySession(tid) || ProfilerThreads.IsRuntimeProfilerThread(ThreadName(session, tid)),
            final);
        foreach (var sample in weighed.Samples)
        {
            foreach (var hub in hubs) hub.Publish(ProfileKind.Cpu, sample.Frames, sample.Labels, sample.Nanos, sample.TakenAt);
        }
        // Native threads (the GC's, the JIT's) are never sampled in managed code: their CPU time shows as one frame
        // named after the thread, so the profile adds up to the process's CPU time.
        var at = DateTime.UtcNow;
        foreach (var (tid, nanos) in weighed.Unsampled)
        {
            var frames = new[] { FrameNames.Thread(ThreadName(session, tid)) };
            foreach (var hub in hubs) hub.Publish(ProfileKind.Cpu, frames, SampleLabels.None, nanos, at);
        }
        var profilerNanos = session.Cpu.ProfilerNanos - profilerBefore;
        if (profilerNanos > 0)
        {
            foreach (var hub in hubs) hub.Metrics.ProfilerCpu.Inc(profilerNanos / 1e9);
        }
        Interlocked.Exchange(ref _cpuFlushedUpTo, upTo);
        var flushed = _cpuFlushed;
        _cpuFlushed = NewSignal();
        flushed.TrySetResult(true);
    }

    /// <summary>Adds what the calling (self-timed) profiler thread used since <paramref name="before"/> to the profiler's CPU counter.</summary>
    public void CountOwnCpu(long? before)
    {
        // With perf events on, these threads' samples are already counted as the profiler's.
        if (CpuFromPerf || before is not { } start || ThreadCpuClock.ReadOne(OsThread.CurrentId) is not { } end || end <= start) return;
        foreach (var hub in _hubs()) hub.Metrics.ProfilerCpu.Inc((end - start) / 1e9);
    }

    private static string ThreadName(SamplingSession session, int tid)
    {
        if (!session.ThreadNames.TryGetValue(tid, out var name))
        {
            name = ProfilerThreads.NameOf(tid);
            // Bounded by the process's thread count; the session (and this table) ends with the burst.
            session.ThreadNames[tid] = name;
        }
        return name;
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static unsafe int ReadSampleType(TraceEvent e) =>
        e.EventDataLength >= 4 ? *(int*)e.DataStart : 0;
}
