using Observability.Profiling.Implementation;
using Prometheus;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The package's Prometheus metrics, in a registry of this host only: prometheus-net's default registry is
/// process-global (and would also publish every .NET Meter), so each host gets its own and several hosts in
/// one process never collide. Names and labels follow docs/telemetry-names.md.
/// </summary>
internal sealed class HostingMetrics
{
    private static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    public HostingMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        // Exemplars are passed explicitly (only for sampled spans); no implicit Activity.Current lookups.
        factory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = (_, _) => Exemplar.None, NewExemplarMinInterval = TimeSpan.Zero };

        RequestDuration = factory.CreateHistogram(TelemetryNames.HttpServerRequestDuration,
            "Duration of HTTP server requests by route template, method, status class and k6 test id.",
            ["route", "method", "status_class", "testid"], new HistogramConfiguration { Buckets = DurationBuckets });
        ActiveRequests = factory.CreateGauge(TelemetryNames.HttpServerActiveRequests, "HTTP server requests in flight.", ["method"]);
        DbOperationDuration = factory.CreateHistogram(TelemetryNames.DbClientOperationDuration,
            "Duration of database commands by database system and operation.",
            ["db_system", "operation"], new HistogramConfiguration { Buckets = DurationBuckets });

        SpansExported = factory.CreateCounter(TelemetryNames.SpansExported, "Spans exported successfully.");
        SpansDropped = factory.CreateCounter(TelemetryNames.SpansDropped, "Spans dropped: export queue full or export failed.");
        var exportFailures = ExportFailuresCounter.Create(factory);
        TraceExportFailures = exportFailures.WithLabels(TelemetryNames.SignalTraces);
        LogsExported = factory.CreateCounter(TelemetryNames.LogsExported, "Log records exported successfully.");
        LogsDropped = factory.CreateCounter(TelemetryNames.LogsDropped, "Log records dropped: export queue full or export failed.");
        LogExportFailures = exportFailures.WithLabels(TelemetryNames.SignalLogs);
        LabelOverflow = factory.CreateCounter(TelemetryNames.LoadTestLabelOverflow,
            "Load-test label values folded into 'other' because the cap was reached.", ["label"]);
        // Pre-create the children so the series exist (at zero) before the first event.
        LabelOverflow.WithLabels("testid");
        LabelOverflow.WithLabels("scenario");

        RuntimeMetrics.Register(factory, Registry);
        DotNetStats.Register(Registry);
    }

    public CollectorRegistry Registry { get; }

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
}
