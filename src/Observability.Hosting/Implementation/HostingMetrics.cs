using System.Diagnostics.Metrics;
using Observability.Profiling.Implementation;
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
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    /// <summary>Distinct exception types the request and meter labels keep; later ones become <c>_OTHER</c>.</summary>
    private const int MaxErrorTypes = 20;

    private readonly MeterBridge? _meters;

    public HostingMetrics(IMeterFactory? hostMeters = null, MeterSelection? meters = null)
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

        SpansExported = factory.CreateCounter(TelemetryNames.SpansExported, "Spans exported successfully.");
        SpansDropped = factory.CreateCounter(TelemetryNames.SpansDropped, "Spans dropped: export queue full or export failed.");
        var exportFailures = ExportFailuresCounter.Create(factory);
        TraceExportFailures = exportFailures.WithLabels(TelemetryNames.SignalTraces);
        LogsExported = factory.CreateCounter(TelemetryNames.LogsExported, "Log records exported successfully.");
        LogsDropped = factory.CreateCounter(TelemetryNames.LogsDropped, "Log records dropped: export queue full or export failed.");
        LogExportFailures = exportFailures.WithLabels(TelemetryNames.SignalLogs);
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
        if (hostMeters is not null) _meters = new MeterBridge(factory, Registry, hostMeters, ErrorTypes, meters, () => meterOverflow.Inc());
    }

    public CollectorRegistry Registry { get; }

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

    public Counter SpansExported { get; }

    public Counter SpansDropped { get; }

    public Counter.Child TraceExportFailures { get; }

    public Counter.Child LogExportFailures { get; }

    public Counter LogsExported { get; }

    public Counter LogsDropped { get; }

    public Counter LabelOverflow { get; }

    /// <summary>Exception type names as label values: a cap of distinct names for the life of the host.</summary>
    public BoundedLabelSet ErrorTypes { get; }

    public void Dispose() => _meters?.Dispose();
}
