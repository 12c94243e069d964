using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// One EventPipe sampling session on this process, of any kind (a burst, a continuous run, an on-demand window), with
/// its own <see cref="TraceLog"/> (released when the session ends, so a long-lived profiler does not grow) and its own
/// reader thread. Started and stopped by the scheduler only.
/// </summary>
internal sealed class SamplingSession : IDisposable
{
    private static readonly EventPipeProvider[] Providers =
    {
        new("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
        // JIT and loader events at verbose level carry method names of code jitted after the rundown.
        new("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, 0x8 | 0x10 | 0x20 | 0x2000000000),
    };

    private readonly EventPipeSession _session;
    private readonly TraceLogEventSource _source;
    private readonly ManualResetEvent _ended = new(false);
    private volatile bool _stopRequested;

    private readonly Action<SamplingSession> _onEnd;

    private SamplingSession(EventPipeSession session, TraceLogEventSource source, CpuWeigher cpu, Action<TraceEvent, SamplingSession> onEvent, Action<SamplingSession> onEnd)
    {
        _session = session;
        _source = source;
        _onEnd = onEnd;
        Cpu = cpu;
        Resolver = new StackResolver(source.TraceLog);
        source.AllEvents += e => onEvent(e, this);
        new Thread(Read) { IsBackground = true, Name = "Observability profiler reader" }.Start();
    }

    public StackResolver Resolver { get; }

    /// <summary>This session's CPU samples waiting for their weights; touched by the reader thread only.</summary>
    public CpuWeigher Cpu { get; }

    /// <summary>When the reader next hands weighted CPU samples on (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long NextCpuFlush { get; set; }

    /// <summary>Time of the last event the reader took (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long LastEventTimestamp { get; set; }

    /// <summary>OS thread names looked up during this session, per thread id (reader thread only).</summary>
    public Dictionary<int, string> ThreadNames { get; } = new();

    /// <summary>Set when <see cref="TraceEventDispatcher.Process"/> returned (after a stop, or when the runtime ended the session).</summary>
    public WaitHandle Ended => _ended;

    /// <summary>The session ended without being asked to: the runtime closed it.</summary>
    public bool EndedUnexpectedly => !_stopRequested && _ended.WaitOne(0);

    public int EventsLost => _source.EventsLost;

    /// <summary>Whether this session ran TraceEvent's rundown.</summary>
    public bool WithRundown { get; private init; }

    /// <summary>Opens the session and the rundown that names code jitted before it (TraceEvent's short second session).</summary>
    public static SamplingSession Start(Action<TraceEvent, SamplingSession> onEvent, Action<SamplingSession> onEnd, bool rundown, long periodNanos)
    {
        // Every thread's CPU time before the first sample: the first interval's weights start here.
        var cpu = new CpuWeigher(ThreadCpuClock.ReadAll(), periodNanos);
        var client = new DiagnosticsClient(Environment.ProcessId);
        var session = client.StartEventPipeSession(Providers, requestRundown: false, circularBufferMB: 8);
        try
        {
            var source = TraceLog.CreateFromEventPipeSession(
                session, rundown ? TraceLog.EventPipeRundownConfiguration.Enable(client) : TraceLog.EventPipeRundownConfiguration.None());
            return new SamplingSession(session, source, cpu, onEvent, onEnd) { WithRundown = rundown };
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Asks the runtime to end the session; the reader returns once the remaining events are read.</summary>
    public void Stop()
    {
        _stopRequested = true;
        _session.Stop();
    }

    private void Read()
    {
        // Parsing the event stream is the profiler's work, not the application's: this thread stays out of its profiles.
        using var self = ProfilerThreads.Enter();
        try
        {
            _source.Process();
        }
        catch (Exception)
        {
            // A broken stream ends this session only; the scheduler sees it ended.
        }
        finally
        {
            try
            {
                _onEnd(this);
            }
            catch (Exception)
            {
                // The last samples are lost; the session still ends.
            }
            _ended.Set();
        }
    }

    /// <summary>
    /// Closes our end of the session's stream without asking the runtime anything. A stop that hangs can be the runtime
    /// writing the session's last events to a stream nobody reads, holding its EventPipe lock meanwhile (the reader,
    /// if it then waits for that lock, never drains the stream again): the write fails, the stop ends, and the lock
    /// is free for the rest of the process (any EventSource created later would wait for it forever).
    /// </summary>
    public void Abandon()
    {
        try { _session.EventStream.Dispose(); } catch (Exception) { }
    }

    public void Dispose()
    {
        // The TraceLog's tables (interned stacks, methods) go with it.
        try { _source.Dispose(); } catch (Exception) { }
        try { _source.TraceLog.Dispose(); } catch (Exception) { }
        try { _session.Dispose(); } catch (Exception) { }
    }
}
