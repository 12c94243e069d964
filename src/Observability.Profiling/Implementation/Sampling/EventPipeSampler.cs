using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// The process's one EventPipe session (sample profiler + JIT/loader events for method names), opened
/// on the first host that wants it and never stopped (stopping an in-process session can deadlock).
/// Events are processed on one dedicated background thread; hosts attach and detach their hubs.
/// </summary>
internal static class EventPipeSampler
{
    private static readonly Guid SampleProfilerProvider = new("3c530d44-97ae-513a-1e6d-783e8f8e03a9");
    private const int ThreadSampleManaged = 2;
    private const int MaxInternedCallStacks = 30_000;

    private static readonly object Gate = new();
    private static volatile ProfileHub[] _hubs = Array.Empty<ProfileHub>();
    private static SamplerState _state;
    private static string? _reason;
    private static StackResolver? _resolver;
    private static long _samplesSeen;
    private static volatile bool _exiting;

    public static SamplerState State => _state;

    /// <summary>Why the sampler is not running, for logs and the debug endpoints.</summary>
    public static string? Reason => _reason;

    /// <summary>Sampling interval in ns: the value of the runtime variable, or the runtime's default.</summary>
    public static long PeriodNanos { get; } =
        SamplingRate.FromVariable(Environment.GetEnvironmentVariable(ProfilingOptions.SamplingRateVariable)) ?? SamplingRate.RuntimeDefaultNanos;

    public static long SamplesSeen => Interlocked.Read(ref _samplesSeen);

    public static void Attach(ProfileHub hub, ILogger logger)
    {
        lock (Gate)
        {
            _hubs = _hubs.Append(hub).ToArray();
            // A host that attaches after the sampler stopped still shows why its profiles are missing.
            if (_state is SamplerState.Off or SamplerState.Failed) CountDropped(hub, _state == SamplerState.Off ? "sampler_off" : "sampler_failed", 0);
            if (_state != SamplerState.NotStarted) return;

            if (SamplerGate.OffReason(Environment.GetEnvironmentVariable, hub.Options) is { } reason)
            {
                Disable(reason);
                logger.LogWarning("CPU and wall profiles are off: {Reason}", reason);
                return;
            }

            _state = SamplerState.Starting;
            ThreadSpanTracker.Active = true;
            var thread = new Thread(() => Run(logger)) { IsBackground = true, Name = "Observability profiler" };
            thread.Start();
        }
    }

    public static void Detach(ProfileHub hub)
    {
        lock (Gate) _hubs = _hubs.Where(h => !ReferenceEquals(h, hub)).ToArray();
    }

    private static void Disable(string reason)
    {
        _state = SamplerState.Off;
        _reason = reason;
        foreach (var hub in _hubs) CountDropped(hub, "sampler_off", 0);
    }

    private static void Run(ILogger logger)
    {
        try
        {
            var client = new DiagnosticsClient(Environment.ProcessId);
            var providers = new[]
            {
                new EventPipeProvider("Microsoft-DotNETCore-SampleProfiler", EventLevel.Informational),
                // JIT and loader events at verbose level carry method names of code jitted after the rundown.
                new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Verbose, 0x8 | 0x10 | 0x20 | 0x2000000000),
            };
            var session = client.StartEventPipeSession(providers, requestRundown: false, circularBufferMB: 8);
            var source = TraceLog.CreateFromEventPipeSession(session, TraceLog.EventPipeRundownConfiguration.Enable(client));
            _resolver = new StackResolver(source.TraceLog);
            source.AllEvents += OnEvent;
            _state = SamplerState.Running;
            logger.LogInformation("Profiler sampling every {Interval} ms on one EventPipe session", PeriodNanos / 1e6);
            AppDomain.CurrentDomain.ProcessExit += (_, _) => _exiting = true;
            source.Process();
            // Process() returns when the runtime ends the session: normal at process exit, a failure otherwise.
            if (_exiting) return;
            Fail(logger, null, $"the EventPipe session ended after {SamplesSeen} samples ({source.EventsLost} events lost)");
        }
        catch (Exception e)
        {
            Fail(logger, e, "the EventPipe session could not be started");
        }
    }

    private static void Fail(ILogger logger, Exception? error, string reason)
    {
        _state = SamplerState.Failed;
        _reason = reason;
        ThreadSpanTracker.Active = false;
        foreach (var hub in _hubs) CountDropped(hub, "sampler_failed", 1);
        logger.LogError(error, "CPU and wall profiles are off: {Reason}; the application keeps running", reason);
    }

    private static void OnEvent(TraceEvent e)
    {
        if (e.ProviderGuid != SampleProfilerProvider) return;
        var hubs = _hubs;
        var resolver = _resolver;
        if (hubs.Length == 0 || resolver is null) return;
        Interlocked.Increment(ref _samplesSeen);

        try
        {
            var managed = ReadSampleType(e) == ThreadSampleManaged;
#pragma warning disable CS0618 // Discouraged, not obsolete: the raw QPC value is what matches Stopwatch timestamps.
            var root = ThreadSpanTracker.Find(e.ThreadID, e.TimeStampQPC);
#pragma warning restore CS0618
            // Most samples are of idle threads outside any request: skip them before resolving a stack.
            if (!managed && root is null) return;

            var frames = resolver.Resolve(e, hubs[0].Options.MaxStackDepth);
            if (frames.Length == 0) return;
            // CPU: threads in managed code (not in a wait method), and request threads outside managed code
            // unless their stack shows them blocked: native work done for a request (RS256 signature
            // checks run in OpenSSL) is CPU time. Other threads outside managed code are idle as a rule.
            var cpu = managed
                ? !FrameNames.IsWait(frames[^1])
                : root is not null && !FrameNames.IsBlockedOutsideManagedCode(frames);
            var loadTest = root?.LoadTest;
            var labels = root is null
                ? SampleLabels.None
                : new SampleLabels(root.SpanId, root.TraceId, loadTest?.TestId, loadTest?.Scenario);
            foreach (var hub in hubs)
            {
                if (cpu) hub.Publish(ProfileKind.Cpu, frames, labels, PeriodNanos);
                if (root is not null) hub.Publish(ProfileKind.Wall, frames, labels, PeriodNanos);
            }

            // TraceLog interns every distinct stack for the session's lifetime; release them now and then.
            if (resolver.Log.CallStacks.Count > MaxInternedCallStacks) resolver.Log.TrimLiveSessionState();
        }
        catch (Exception) when (!Debugger.IsAttached)
        {
            // A malformed event must not end the session; the sample is lost.
            foreach (var hub in hubs) hub.Metrics.Dropped.WithLabels(ProfileKind.Cpu.Id(), "bad_sample").Inc();
        }
    }

    private static void CountDropped(ProfileHub hub, string reason, int count)
    {
        hub.Metrics.Dropped.WithLabels(ProfileKind.Cpu.Id(), reason).Inc(count);
        hub.Metrics.Dropped.WithLabels(ProfileKind.Wall.Id(), reason).Inc(count);
    }

    private static unsafe int ReadSampleType(TraceEvent e) =>
        e.EventDataLength >= 4 ? *(int*)e.DataStart : 0;
}

/// <summary>Lifecycle of the process-wide sampler.</summary>
internal enum SamplerState
{
    NotStarted,
    Starting,
    Running,
    Off,
    Failed,
}
