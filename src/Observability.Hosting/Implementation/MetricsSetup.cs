using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using Observability.Profiling;
using OpenTelemetry.Metrics;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The meter provider of <c>OTEL_METRICS_EXPORTER=otlp</c>: the meters <see cref="MeterBridge"/> publishes on
/// <c>/metrics</c>, plus ASP.NET Core's hosting meter (the request histogram and in-flight requests, with the kit's
/// bounded test id added per request) and the kit's own (the DB histogram), pushed over OTLP with cumulative
/// temporality, so that a collector's OTLP-to-Prometheus translation gives the names <c>/metrics</c> has. Meters an
/// application adds through <c>ConfigureOpenTelemetryMeterProvider</c> join the same provider and export.
/// </summary>
internal static class MetricsSetup
{
    private const string RequestDuration = "http.server.request.duration";
    private const string ExemplarFilterKey = "OTEL_METRICS_EXEMPLAR_FILTER";

    /// <summary>Metrics are pushed when <c>otlp</c> is listed and an OTLP endpoint is configured.</summary>
    public static bool IsOn(ObservabilityOptions options) =>
        options.Metrics.Exporters.HasFlag(MetricsExporters.Otlp) && OtlpExport.For(options, OtlpSignal.Metrics) is not null;

    public static void Configure(MeterProviderBuilder metrics, ObservabilityOptions options, string applicationName, IConfiguration configuration)
    {
        var export = OtlpExport.For(options, OtlpSignal.Metrics)!;
        var selection = new MeterSelection(applicationName, options.Metrics.Meters);
        metrics.AddMeter([.. KitMeters(selection)]);
        // The same selection as /metrics, told apart by the host's meter factory: a name alone would also take another
        // host's ASP.NET Core meters in the same process.
        // The host's factory is known once the container exists: the reader's factory below (run while the provider is
        // built, before any instrument is published) hands it to the view.
        IMeterFactory? hostMeters = null;
        metrics.AddView(instrument => hostMeters is null ? null : View(instrument, hostMeters, selection));
        // /metrics carries exemplars of sampled spans; the SDK's trace-based filter does the same, unless the standard
        // variable chose otherwise (a value set here would silence it).
        if (string.IsNullOrWhiteSpace(configuration[ExemplarFilterKey]))
            metrics.SetExemplarFilter(ExemplarFilterType.TraceBased);
        metrics.AddReader(sp =>
        {
            hostMeters = sp.GetRequiredService<IMeterFactory>();
            // OTEL_METRIC_EXPORT_INTERVAL and OTEL_METRIC_EXPORT_TIMEOUT, as the SDK reads them from the configuration.
            var reader = sp.GetRequiredService<IOptionsMonitor<PeriodicExportingMetricReaderOptions>>().Get(Options.DefaultName);
            var duplicates = sp.GetRequiredService<DuplicateExportCheck>().Metrics;
            var otlp = new OtlpMetricExporter(export.ExporterOptions());
            var exporter = new CountingExporter<Metric>(otlp, sp.GetRequiredService<HostingMetrics>().MetricExports, export.OutageLog(sp), duplicates);
            var periodic = new PeriodicExportingMetricReader(exporter, reader.ExportIntervalMilliseconds ?? DefaultIntervalMilliseconds,
                reader.ExportTimeoutMilliseconds ?? DefaultTimeoutMilliseconds)
            {
                // What Prometheus stores: a collector turns cumulative sums into counters as they are.
                TemporalityPreference = MetricReaderTemporalityPreference.Cumulative,
            };
            duplicates.Attach(periodic, otlp, export.Endpoint);
            return periodic;
        });
    }

    /// <summary>The <c>AddMeter</c> arguments of the kit's own export: all that /metrics publishes already, and the hosting meter.</summary>
    public static IReadOnlyCollection<string> KitMeters(MeterSelection selection) =>
        [.. MeterBridge.MeterNames, MeterBridge.HostingMeter, HostingMetrics.MeterName, .. selection.AsMeterArguments()];

    private const int DefaultIntervalMilliseconds = 60_000;
    private const int DefaultTimeoutMilliseconds = 30_000;

    /// <summary>
    /// Leaves out what /metrics leaves out (another host's meters, the runtime's <c>*_count</c> gauges, a library's second
    /// <c>db.client.operation.duration</c>) and gives histograms the buckets they have there; anything else the
    /// application added passes untouched.
    /// </summary>
    internal static MetricStreamConfiguration? View(Instrument instrument, IMeterFactory hostMeters, MeterSelection selection)
    {
        var meter = instrument.Meter.Name;
        if (instrument.Meter.Scope is IMeterFactory scope && !ReferenceEquals(scope, hostMeters)) return MetricStreamConfiguration.Drop;
        var hosting = meter == MeterBridge.HostingMeter;
        var kit = meter == HostingMetrics.MeterName;
        if (!hosting && !kit && !MeterBridge.Selects(instrument, hostMeters, selection)) return null;
        if (MeterBridge.IsRuntimeCountGauge(instrument)) return MetricStreamConfiguration.Drop;
        if (instrument.Name == HostingMetrics.OtelDbClientOperationDuration && !kit) return MetricStreamConfiguration.Drop;
        if (hosting && instrument.Name == RequestDuration)
            return new ExplicitBucketHistogramConfiguration { Boundaries = HostingMetrics.DurationBuckets };
        var advised = instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries is { Count: > 0 },
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries is { Count: > 0 },
            _ => true,
        };
        return advised ? null : new ExplicitBucketHistogramConfiguration { Boundaries = MeterBridge.Buckets(instrument) };
    }
}
