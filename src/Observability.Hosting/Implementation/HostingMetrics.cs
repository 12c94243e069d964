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

    public HostingMetrics(ObservabilityOptions options)
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        // Exemplars are passed explicitly (only for sampled spans); no implicit Activity.Current lookups.
        factory.ExemplarBehavior = new ExemplarBehavior { DefaultExemplarProvider = (_, _) => Exemplar.None, NewExemplarMinInterval = TimeSpan.Zero };

        RequestDuration = factory.CreateHistogram("http_server_request_duration_seconds",
            "Duration of HTTP server requests by route template, method, status class and k6 test id.",
            ["route", "method", "status_class", "testid"], new HistogramConfiguration { Buckets = DurationBuckets });
        ActiveRequests = factory.CreateGauge("http_server_active_requests", "HTTP server requests in flight.", ["method"]);
        DbOperationDuration = factory.CreateHistogram("db_client_operation_duration_seconds",
            "Duration of database commands by database system and operation.",
            ["db_system", "operation"], new HistogramConfiguration { Buckets = DurationBuckets });

        SpansExported = factory.CreateCounter("observability_spans_exported_total", "Spans exported successfully.");
        SpansDropped = factory.CreateCounter("observability_spans_dropped_total", "Spans dropped: export queue full or export failed.");
        ExportFailures = factory.CreateCounter("observability_export_failures_total", "Failed export calls by signal.", ["signal"]);
        LabelOverflow = factory.CreateCounter("observability_loadtest_label_overflow_total",
            "Load-test label values folded into 'other' because the cap was reached.", ["label"]);
        // Pre-create the children so the series exist (at zero) before the first event.
        ExportFailures.WithLabels("traces");
        LabelOverflow.WithLabels("testid");
        LabelOverflow.WithLabels("scenario");

        RuntimeMetrics.Register(factory, Registry);
        if (options.Profiling.Enabled) ProfilerMetricsMirror.Register(factory, Registry, ExportFailures);
        DotNetStats.Register(Registry);
    }

    public CollectorRegistry Registry { get; }

    public Histogram RequestDuration { get; }

    public Gauge ActiveRequests { get; }

    public Histogram DbOperationDuration { get; }

    public Counter SpansExported { get; }

    public Counter SpansDropped { get; }

    public Counter ExportFailures { get; }

    public Counter LabelOverflow { get; }
}
