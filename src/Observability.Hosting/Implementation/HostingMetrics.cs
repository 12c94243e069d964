using System.Diagnostics.Metrics;
using Observability.Profiling;
using Prometheus;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The package's Prometheus metrics, in a registry of this host only: prometheus-net's default registry is
/// process-global (and would also publish every .NET Meter), so each host gets its own and several hosts in
/// one process never collide. Names and labels follow docs/telemetry-names.md: OpenTelemetry's semantic
/// conventions as the OpenTelemetry-to-Prometheus rules write them. The request and database histograms are
/// the kit's own (they carry span exemplars and the bounded k6 test id); Kestrel's, ASP.NET Core's diagnostics
/// and the runtime's meters are published as they are by <see cref="MeterBridge"/>.
/// </summary>
internal sealed class HostingMetrics : IDisposable
{
    internal static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Distinct exception types the request and meter labels keep; later ones become <c>_OTHER</c>.</summary>
    private const int MaxErrorTypes = 20;

    /// <summary>
    /// The kit's own .NET meter: the DB histogram as an instrument, for OTLP export (the request histogram's
    /// counterpart there is ASP.NET Core's own). Created by the host's factory, so it is this host's.
    /// </summary>
    public const string MeterName = "Observability.Hosting";

    private readonly MeterBridge? _meters;
    private readonly Meter? _ownedMeter;

    /// <param name="hostMeters">The host's meter factory: the kit's meter is made by it, and the bridge tells the host's ASP.NET Core meters by it.</param>
    /// <param name="meters">The selected application and library meters.</param>
    /// <param name="publishMeters">Publish .NET meters on /metrics (false when <c>OTEL_METRICS_EXPORTER</c> leaves out prometheus).</param>
    public HostingMetrics(IMeterFactory? hostMeters = null, MeterSelection? meters = null, bool publishMeters = true)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        // Exemplars are passed explicitly (only for sampled spans); no implicit Activity.Current lookups.
        factory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = (_, _) => Exemplar.None, NewExemplarMinInterval = TimeSpan.Zero };

        RequestDuration = factory.CreateHistogram(TelemetryNames.HttpServerRequestDuration,
            "Duration of HTTP server requests (OpenTelemetry http.server.request.duration) with the k6 test id.",
            [
                TelemetryNames.HttpRouteLabel, TelemetryNames.HttpRequestMethodLabel, TelemetryNames.HttpResponseStatusCodeLabel,
                TelemetryNames.ErrorTypeLabel, TelemetryNames.UrlSchemeLabel, TelemetryNames.NetworkProtocolVersionLabel,
                TelemetryNames.TestIdLabel,
            ],
            new HistogramConfiguration { Buckets = DurationBuckets });
        ActiveRequests = factory.CreateGauge(TelemetryNames.HttpServerActiveRequests,
            "HTTP server requests in flight (OpenTelemetry http.server.active_requests).",
            [TelemetryNames.HttpRequestMethodLabel, TelemetryNames.UrlSchemeLabel]);
        DbOperationDuration = factory.CreateHistogram(TelemetryNames.DbClientOperationDuration,
            "Duration of database operations (OpenTelemetry db.client.operation.duration).",
            [TelemetryNames.DbSystemNameLabel, TelemetryNames.DbOperationNameLabel], new HistogramConfiguration { Buckets = DurationBuckets });

        var exportFailures = ExportFailuresCounter.Create(factory);
        TraceExports = new ExportCounts(exportFailures.WithLabels(TelemetryNames.SignalTraces),
            factory.CreateCounter(TelemetryNames.SpansExported, "Spans exported successfully."),
            factory.CreateCounter(TelemetryNames.SpansDropped, "Spans dropped: export queue full or export failed."));
        LogExports = new ExportCounts(exportFailures.WithLabels(TelemetryNames.SignalLogs),
            factory.CreateCounter(TelemetryNames.LogsExported, "Log records exported successfully."),
            factory.CreateCounter(TelemetryNames.LogsDropped, "Log records dropped: export queue full or export failed."));
        MetricExports = new ExportCounts(exportFailures.WithLabels(TelemetryNames.SignalMetrics));
        LabelOverflow = factory.CreateCounter(TelemetryNames.LoadTestLabelOverflow,
            "Label values folded into 'other' (k6 labels) or '_OTHER' (error types) because the cap was reached.", ["label"]);
        // Pre-create the children so the series exist (at zero) before the first event.
        LabelOverflow.WithLabels("testid");
        LabelOverflow.WithLabels("scenario");
        var errorTypeOverflow = LabelOverflow.WithLabels(TelemetryNames.ErrorTypeLabel);
        // Error types never age out: their series are not removed, so the cap holds for the life of the host.
        ErrorTypes = new BoundedLabelSet(MaxErrorTypes, () => errorTypeOverflow.Inc(), idleTimeout: TimeSpan.MaxValue,
            overflowValue: TelemetryNames.OtherSemconvValue);

        RuntimeMetrics.Register(factory, Registry);
        DotNetStats.Register(Registry);
        var meterOverflow = LabelOverflow.WithLabels("meter");
        var meter = hostMeters?.Create(new MeterOptions(MeterName)) ?? (_ownedMeter = new Meter(MeterName));
        DbOperations = meter.CreateHistogram(OtelDbClientOperationDuration, unit: "s", description: "Duration of database operations.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        if (hostMeters is not null && publishMeters) _meters = new MeterBridge(factory, Registry, hostMeters, ErrorTypes, meters, () => meterOverflow.Inc());
    }

    public CollectorRegistry Registry { get; }

    /// <summary>The .NET meters published on /metrics, or null when /metrics does not publish them.</summary>
    public MeterBridge? Meters => _meters;

    /// <summary>Removes the request series of a test id that left the label window (see <see cref="BoundedLabelSet"/>).</summary>
    public void RetireTestId(string testId)
    {
        var index = Array.IndexOf(RequestDuration.LabelNames, TelemetryNames.TestIdLabel);
        if (index < 0) return;
        foreach (var labels in RequestDuration.GetAllLabelValues().ToList())
            if (labels[index] == testId) RequestDuration.RemoveLabelled(labels);
    }


    public Histogram RequestDuration { get; }

    public Gauge ActiveRequests { get; }

    public Histogram DbOperationDuration { get; }

    /// <summary>Spans exported, dropped and failed exports of traces.</summary>
    public ExportCounts TraceExports { get; }

    /// <summary>Log records exported, dropped and failed exports of logs.</summary>
    public ExportCounts LogExports { get; }

    /// <summary>Failed exports of metrics.</summary>
    public ExportCounts MetricExports { get; }

    /// <summary>The semantic-convention name of the DB histogram, as its instrument carries it.</summary>
    public const string OtelDbClientOperationDuration = "db.client.operation.duration";

    /// <summary>
    /// <see cref="DbOperationDuration"/> as a .NET instrument (tags <c>db.system.name</c>, <c>db.operation.name</c>, the
    /// same bounded values): what an OTLP export sends. Recording costs nothing while no listener takes it.
    /// </summary>
    public Histogram<double> DbOperations { get; }

    public Counter LabelOverflow { get; }

    /// <summary>Exception type names as label values: a cap of distinct names for the life of the host.</summary>
    public BoundedLabelSet ErrorTypes { get; }

    public void Dispose()
    {
        _meters?.Dispose();
        _ownedMeter?.Dispose();
    }
}
