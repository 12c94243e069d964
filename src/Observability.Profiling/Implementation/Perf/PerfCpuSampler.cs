using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Perf.Symbols;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Sampling;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Profiling.Implementation.Perf;

/// <summary>
/// The continuous CPU sampler on Linux perf events. One thread of its own owns the events: it waits on the per-CPU
/// rings (woken when one is a quarter full, or every <see cref="DrainInterval"/>), copies their records out, turns them into
/// profile entries (<see cref="PerfSampleProcessor"/>), and attaches the threads that appeared since its last look at
/// <c>/proc/self/task</c>. It is never sampled itself; its CPU time is the profiler's cost, counted apart.
/// </summary>
internal sealed class PerfCpuSampler : ICpuSampler, IDisposable
{
    /// <summary>
    /// How often new threads are attached, and the rings drained when nothing wakes the thread earlier (a ring a
    /// quarter full does; so does a flush). Each look costs about 0.4 ms, mostly in the kernel (/proc, poll): at 4 a
    /// second an idle service pays 0.15 % of a core.
    /// </summary>
    internal static readonly TimeSpan DrainInterval = TimeSpan.FromMilliseconds(250);

    private readonly PerfEventSet _events;
    private readonly PerfSampleProcessor _processor;
    private readonly JitCodeNames? _jit;
    private readonly PerfFrameNamer _namer;
    private readonly NativeSymbols _native;
    private readonly KernelTime _kernel = new();
    private readonly int _wakeFd;
    private readonly object _ringGate = new();
    private readonly ulong[] _peeked;
    private readonly byte[] _copy;
    private readonly List<PerfRecord> _records = new();
    private readonly List<TaskCompletionSource> _flushes = new();
    private readonly Thread _thread;
    private readonly int _holderTid;
    private volatile ProfileHub[] _hubs = Array.Empty<ProfileHub>();
    private volatile bool _stopping;
    private long _lost;
    private long _profilerSamplesCounted;
    private long _mapsReadAt = Environment.TickCount64;

    internal PerfCpuSampler(PerfEventSet events, int holderTid, Thread thread, PerfSampleProcessor processor, PerfFrameNamer namer, NativeSymbols native, JitCodeNames? jit, PerfSettings settings)
    {
        _native = native;
        _events = events;
        _holderTid = holderTid;
        _thread = thread;
        _processor = processor;
        _namer = namer;
        _jit = jit;
        Settings = settings;
        _peeked = new ulong[events.Rings.Count];
        // As large as a ring: one copy frees the whole ring for the kernel while the samples are processed. A smaller
        // copy frees part of it, and a busy thread's samples are lost while the first ones are named.
        _copy = new byte[Math.Max(PerfRing.MaxRecordSize, (int)events.Rings.Select(r => r.DataSize).DefaultIfEmpty(0UL).Max())];
        _wakeFd = PerfNative.eventfd(0, PerfNative.EfdCloexec | PerfNative.EfdNonblock);
    }

    public PerfSettings Settings { get; }

    public long PeriodNanos => (long)Settings.PeriodNanos;

    public string Name => "perf";

    /// <summary>Perf events sample all the time: a capture can always run.</summary>
    public string? Unavailable => null;

    /// <summary>When this sampler ran (open from its start to its stop).</summary>
    public SamplingWindows Windows { get; } = new();

    /// <summary>Samples the kernel could not write because a ring was full.</summary>
    public long Lost => Interlocked.Read(ref _lost);

    public long Samples => _processor.Samples;

    public PerfSampleProcessor Processor => _processor;

    public PerfFrameNamer Namer => _namer;

    public int ThreadsAttached { get; private set; }

    public int RingCount => _events.Rings.Count;

    /// <summary>Whether the sampler's last look at the process's threads attached <paramref name="tid"/> (any thread may ask).</summary>
    public bool IsAttached(int tid) => _attached.Contains(tid);

    private volatile HashSet<int> _attached = new();

    public void SetHubs(ProfileHub[] hubs) => _hubs = hubs;

    /// <summary>Runs the loop on the thread that opened the events (the events' holder); returns when stopped.</summary>
    internal void Run()
    {
        Windows.Open(DateTime.UtcNow);
        var lastScan = 0L;
        var lastOwnCpu = Stopwatch.GetTimestamp();
        var ownCpuBefore = ThreadCpuClock.ReadOne(_holderTid) ?? 0;
        try
        {
            while (!_stopping)
            {
                Wait();
                if (Stopwatch.GetElapsedTime(lastScan) >= DrainInterval)
                {
                    AttachNewThreads();
                    lastScan = Stopwatch.GetTimestamp();
                }
                DrainOnce();
                if (Stopwatch.GetElapsedTime(lastOwnCpu) >= TimeSpan.FromSeconds(1))
                {
                    lastOwnCpu = Stopwatch.GetTimestamp();
                    CountOwnCpu(ref ownCpuBefore);
                    CountKernelTime();
                }
            }
            DrainOnce();
            CountOwnCpu(ref ownCpuBefore);
        }
        finally
        {
            Windows.Close(DateTime.UtcNow);
            CompleteFlushes();
        }
    }

    /// <summary>A capture listens for its seconds, then takes what the sampler has not handed on yet.</summary>
    public async Task<string?> SampleForAsync(TimeSpan duration, bool cpu, CancellationToken cancellationToken)
    {
        await Task.Delay(duration, cancellationToken);
        await FlushAsync(TimeSpan.FromSeconds(3), cancellationToken);
        return null;
    }

    /// <summary>Whether a CPU sample written so far fell in the span (marked without waiting for the next drain).</summary>
    public bool HasSamples(ulong spanId, DateTime start, DateTime end)
    {
        MarkSampledSpans();
        return RecentSpans.IsSampled(spanId);
    }

    /// <summary>Waits until samples taken up to now have reached the hubs (at most <paramref name="limit"/>).</summary>
    public async Task FlushAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_flushes) _flushes.Add(done);
        Wake();
        try
        {
            await done.Task.WaitAsync(limit, cancellationToken);
        }
        catch (TimeoutException)
        {
        }
    }

    /// <summary>
    /// Marks the local-root spans that CPU samples written so far fell in (<see cref="RecentSpans.IsSampled"/>), without
    /// waiting for the sampler's next drain: called when a local root ends, so it can link to its profile at once.
    /// </summary>
    public void MarkSampledSpans()
    {
        var rings = _events.Rings;
        var any = false;
        for (var i = 0; i < rings.Count && !any; i++) any = rings[i].HasDataAfter(_peeked[i]);
        if (!any) return;
        lock (_ringGate)
        {
            for (var i = 0; i < rings.Count; i++)
            {
                rings[i].Peek(ref _peeked[i], static (tid, time) =>
                {
                    if (ThreadSpanTracker.Find(tid, PerfSampleProcessor.ToStopwatch(time)) is { } span) RecentSpans.MarkSampled(span.SpanId);
                });
            }
        }
    }

    public void Stop()
    {
        _stopping = true;
        Wake();
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(10));
    }

    public void Dispose()
    {
        Stop();
        _events.Dispose();
        _native.Dispose();
        if (_wakeFd >= 0) PerfNative.close(_wakeFd);
    }

    private unsafe void Wait()
    {
        var leaders = _events.LeaderFds;
        var fds = stackalloc PerfNative.PollFd[leaders.Count + 1];
        for (var i = 0; i < leaders.Count; i++) fds[i] = new PerfNative.PollFd { Fd = leaders[i], Events = PerfNative.PollIn };
        fds[leaders.Count] = new PerfNative.PollFd { Fd = _wakeFd, Events = PerfNative.PollIn };
        PerfNative.poll(fds, (nuint)(leaders.Count + 1), (int)DrainInterval.TotalMilliseconds);
        ulong value;
        if (_wakeFd >= 0) PerfNative.read(_wakeFd, &value, 8);
    }

    private unsafe void Wake()
    {
        if (_wakeFd < 0) return;
        ulong one = 1;
        PerfNative.write(_wakeFd, &one, 8);
    }

    private void DrainOnce()
    {
        List<TaskCompletionSource>? flushes = null;
        lock (_flushes)
        {
            if (_flushes.Count > 0)
            {
                flushes = new List<TaskCompletionSource>(_flushes);
                _flushes.Clear();
            }
        }
        // New code is named in the jitdump before it runs: read it before the samples that may land in it. Code heaps and
        // images mapped since the last read of the maps come with new names: read the maps again then (at most once a
        // second), and every 10 s anyway.
        var newNames = _jit?.Refresh() > 0;
        if (newNames) _namer.Forget();
        var sinceMaps = Environment.TickCount64 - _mapsReadAt;
        if ((newNames && sinceMaps >= 1000) || sinceMaps >= 10_000)
        {
            _mapsReadAt = Environment.TickCount64;
            _native.Refresh();
        }
        var hubs = _hubs;
        foreach (var ring in _events.Rings)
        {
            // Under the lock that span ends also take (MarkSampledSpans), held for a copy, not for the processing. The
            // copy holds a whole ring; were it ever smaller, the rest would wait for the next drain.
            lock (_ringGate) ring.CopyOut(_copy, _records);
            foreach (var record in _records) Handle(record.Type, new ReadOnlySpan<byte>(_copy, record.Offset, record.Length), hubs);
        }
        if (flushes is not null) foreach (var flush in flushes) flush.TrySetResult();
    }

    private void Handle(uint type, ReadOnlySpan<byte> record, ProfileHub[] hubs)
    {
        if (type == PerfConstants.RecordLost && PerfRing.TryReadLost(record, out var lost))
        {
            Interlocked.Add(ref _lost, (long)lost);
            foreach (var hub in hubs) hub.Metrics.Dropped.WithLabels(ProfileKind.Cpu.Id(), "lost").Inc(lost);
        }
        // CPU-wide events sample this thread too: its time is counted from its own clock (CountOwnCpu).
        else if (type == PerfConstants.RecordSample && PerfRing.TryReadSample(record, out var sample) && sample.Tid != _holderTid)
        {
            try
            {
                _processor.Process(sample, hubs);
            }
            catch (Exception) when (!Debugger.IsAttached)
            {
                foreach (var hub in hubs) hub.Metrics.Dropped.WithLabels(ProfileKind.Cpu.Id(), "bad_sample").Inc();
            }
        }
    }

    private void AttachNewThreads()
    {
        var live = new HashSet<int>();
        try
        {
            foreach (var folder in Directory.EnumerateDirectories(ThreadCpuClock.TaskFolder))
            {
                if (int.TryParse(Path.GetFileName(folder.AsSpan()), out var tid)) live.Add(tid);
            }
        }
        catch (IOException)
        {
            return;
        }
        foreach (var tid in live)
        {
            if (tid == _holderTid || _events.IsAttached(tid)) continue;
            _events.Attach(tid); // A thread that ended since the listing is refused (ESRCH): nothing to do.
        }
        foreach (var tid in _events.AttachedThreads.ToArray())
        {
            if (live.Contains(tid)) continue;
            _events.Detach(tid);
            _processor.Forget(tid);
            _kernel.Forget(tid);
        }
        ThreadsAttached = _events.ThreadCount;
        _attached = _events.AttachedThreads.ToHashSet();
    }

    /// <summary>Adds this thread's CPU time and the samples of other profiler threads since the last call to the profiler's counter.</summary>
    private void CountOwnCpu(ref long before)
    {
        var now = ThreadCpuClock.ReadOne(_holderTid) ?? before;
        var others = _processor.ProfilerNanos - _profilerSamplesCounted;
        var own = now - before + others;
        before = now;
        _profilerSamplesCounted = _processor.ProfilerNanos;
        if (own <= 0) return;
        foreach (var hub in _hubs) hub.Metrics.ProfilerCpu.Inc(own / 1e9);
    }

    /// <summary>Publishes each thread's system time since the last call as <c>[thread: name];[kernel]</c> (the profiler's own threads' as its cost).</summary>
    private void CountKernelTime()
    {
        var hubs = _hubs;
        var at = DateTime.UtcNow;
        _kernel.Collect(_events.AttachedThreads, (tid, nanos) =>
        {
            if (_processor.IsProfilerThread(tid))
            {
                foreach (var hub in hubs) hub.Metrics.ProfilerCpu.Inc(nanos / 1e9);
                return;
            }
            var frames = new[] { FrameNames.Thread(_processor.ThreadName(tid)), KernelTime.Frame };
            foreach (var hub in hubs) hub.Publish(ProfileKind.Cpu, frames, SampleLabels.None, nanos, at);
        });
    }

    private void CompleteFlushes()
    {
        lock (_flushes)
        {
            foreach (var flush in _flushes) flush.TrySetResult();
            _flushes.Clear();
        }
    }
}
