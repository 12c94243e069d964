using System.Diagnostics;
using System.Runtime.CompilerServices;
using OpenTelemetry;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Implementation.Spans;

/// <summary>
/// Links spans and profiles. It tells the sampler which local root each OS thread runs, and when a local-root span
/// ends it sets <c>pyroscope.profile.id</c> if a sampling window overlapped the span; on every finished span it adds the span's self time to the
/// request-time profile (span path as stack, so DB and HTTP waits show up as leaf frames).
/// Add it to the tracer provider; obtain it from DI after <c>AddObservabilityProfiling</c>.
/// </summary>
internal sealed class SpanProfileProcessor : BaseProcessor<Activity>
{
    /// <summary>The span attribute Grafana uses to find a span's profile.</summary>
    public const string ProfileIdAttribute = TelemetryNames.ProfileIdAttribute;
    private const string ChildTimeProperty = "Observability.Profiling.ChildTime";
    private const string PendingProperty = "Observability.Profiling.PendingSelfTimes";
    private const int MaxSpanDepth = 64;

    private readonly ProfileHub _hub;
    private readonly SampledKinds _sampled;

    public SpanProfileProcessor(ProfileHub hub, SampledKinds sampled)
    {
        _hub = hub;
        _sampled = sampled;
    }

    /// <inheritdoc />
    public override void OnStart(Activity data)
    {
        if (!_hub.Options.Enabled) return;
        if (_hub.Options.RequestTimeProfileEnabled) data.SetCustomProperty(ChildTimeProperty, new StrongBox<long>());
        if (data.Parent is not null) return;
        if (_hub.Options.RequestTimeProfileEnabled) data.SetCustomProperty(PendingProperty, new PendingSelfTimes());
        ThreadSpanTracker.Enter(data);
    }

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        if (!_hub.Options.Enabled) return;
        if (data.Parent is null)
        {
            var key = ThreadSpanTracker.Exit(data);
            // Grafana opens "profiles for this span" from this attribute: set it only when the span has CPU samples
            // (perf events), or a sampling window overlapped it (EventPipe bursts), so the link never leads to an
            // empty profile.
            if (_sampled.Cpu.HasSamples(key, data.StartTimeUtc, data.StartTimeUtc + data.Duration))
                data.SetTag(ProfileIdAttribute, data.SpanId.ToHexString());
            // A request of a k6 test (the hosting middleware stored its labels): the scheduler samples densely.
            if (LoadTestLabels.Of(data) is { TestId: not TelemetryNames.NoValue })
            {
                _sampled.EventPipe.NoteLoadTestRequest();
            }
        }
        if (_hub.Options.RequestTimeProfileEnabled) RecordSelfTime(data);
    }

    private void RecordSelfTime(Activity span)
    {
        var durationNs = span.Duration.Ticks * 100;
        if (span.Parent?.GetCustomProperty(ChildTimeProperty) is StrongBox<long> parentChildren)
        {
            Interlocked.Add(ref parentChildren.Value, durationNs);
        }
        var childrenNs = span.GetCustomProperty(ChildTimeProperty) is StrongBox<long> mine ? Interlocked.Read(ref mine.Value) : 0;
        // Children running in parallel can add up to more than the parent: then it has no self time.
        var selfNs = durationNs - childrenNs;

        var root = span;
        for (var depth = 0; root.Parent is not null && depth < MaxSpanDepth; depth++) root = root.Parent;
        var pending = root.GetCustomProperty(PendingProperty) as PendingSelfTimes;

        if (ReferenceEquals(root, span))
        {
            // Names are final only now (ASP.NET Core names the server span after routing, at its end).
            var finished = pending?.Close() ?? new List<(Activity, long)>();
            foreach (var (child, childSelf) in finished) Publish(child, root, childSelf);
            if (selfNs > 0) Publish(span, root, selfNs);
            return;
        }
        if (selfNs <= 0) return;
        if (pending is null || !pending.TryAdd(span, selfNs)) Publish(span, root, selfNs);
    }

    private void Publish(Activity span, Activity root, long selfNs)
    {
        var path = new List<string>(8);
        for (var current = span; current is not null && path.Count < MaxSpanDepth; current = current.Parent)
        {
            path.Add(SpanFrameNames.For(current));
        }
        path.Reverse();
        var loadTest = LoadTestLabels.Of(root);
        var labels = new SampleLabels(root.SpanId.ToHexString(), root.TraceId.ToHexString(), loadTest?.TestId, loadTest?.Scenario);
        _hub.Publish(ProfileKind.Request, path.ToArray(), labels, selfNs);
    }

    /// <summary>Self times of a root's descendants, held until the root ends; bounded.</summary>
    private sealed class PendingSelfTimes
    {
        private const int Capacity = 256;
        private readonly List<(Activity, long)> _entries = new();
        private bool _closed;

        public bool TryAdd(Activity span, long selfNs)
        {
            lock (_entries)
            {
                if (_closed || _entries.Count >= Capacity) return false;
                _entries.Add((span, selfNs));
                return true;
            }
        }

        public List<(Activity, long)> Close()
        {
            lock (_entries)
            {
                _closed = true;
                var taken = new List<(Activity, long)>(_entries);
                _entries.Clear();
                return taken;
            }
        }
    }
}
