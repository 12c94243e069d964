using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Observability.Profiling;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The kit's OTLP export of one signal next to the app's own <c>AddOtlpExporter()</c>. OpenTelemetry's hosting merges
/// every <c>WithTracing</c> (and every <c>WithLogging</c> and <c>builder.Logging.AddOpenTelemetry</c>) into one
/// provider, so both exporters see every span or record. Once the provider is built, the guard reads it
/// (<see cref="OtlpExporterScan"/>): when an exporter of the app sends to the kit's own URL, the kit's export of the
/// signal stops (one information line); when the app's exporters all send elsewhere, both keep exporting and one
/// warning names both places. When the provider cannot be read, nothing changes and nothing is said.
/// </summary>
internal sealed class DuplicateExportGuard<T>(IServiceProvider services, string signal, string item, string exportedMetric)
    where T : class
{
    private readonly object _lock = new();
    // Null until attached; then the other OTLP endpoints of the provider, with Built false while it is not built yet.
    private Func<(bool Built, IReadOnlyList<Uri>? Others)>? _scan;
    private object? _ownExporter;
    private Uri? _ownEndpoint;
    private volatile bool _decided;
    private volatile bool _stopped;

    /// <summary>True once the kit's export of this signal has stopped because the app's own exporter sends to the same URL.</summary>
    public bool Stopped => _stopped;

    /// <summary>
    /// The kit's export processor of this signal, the OTLP exporter it ends in and the endpoint it was given (as the
    /// start line names it; the comparison reads the URL the exporter itself sends to).
    /// </summary>
    public void Attach(BaseProcessor<T> processor, object otlpExporter, Uri configuredEndpoint) =>
        Attach(otlpExporter, configuredEndpoint, () => processor.ParentProvider is { } provider
            ? (true, OtlpExporterScan.OtherEndpoints(provider, processor))
            : (false, null));

    /// <summary>
    /// The kit's metric reader, its OTLP exporter and endpoint. A reader is read only once its provider is built: the
    /// host's start and the reader's exports both come after that.
    /// </summary>
    public void Attach(MetricReader reader, object otlpExporter, Uri configuredEndpoint) =>
        Attach(otlpExporter, configuredEndpoint, () => (true, OtlpExporterScan.OtherEndpoints(reader)));

    private void Attach(object otlpExporter, Uri configuredEndpoint, Func<(bool Built, IReadOnlyList<Uri>? Others)> scan)
    {
        lock (_lock)
        {
            _scan = scan;
            _ownExporter = otlpExporter;
            _ownEndpoint = configuredEndpoint;
        }
    }

    /// <summary>
    /// Reads the provider once it is built and decides (once); before that it answers false and asks again next
    /// time. Called when the host starts and by the export thread before each batch, so no batch leaves before the
    /// decision. Returns <see cref="Stopped"/>. Never throws.
    /// </summary>
    public bool Decide()
    {
        if (_decided) return _stopped;
        Action<ILogger>? tell;
        lock (_lock)
        {
            if (_decided) return _stopped;
            if (_scan is null || _ownExporter is null || _ownEndpoint is not { } configured) return false;
            try
            {
                var (built, others) = _scan();
                if (!built) return false;
                tell = Compare(others, _ownExporter, configured);
            }
            catch (Exception)
            {
                // Cannot tell: the kit keeps exporting and says nothing.
                _stopped = false;
                tell = null;
            }
            // Only now: a thread that sees the decision must also see its outcome.
            _decided = true;
        }
        if (tell is null) return _stopped;
        try
        {
            tell(services.GetRequiredService<ILoggerFactory>().CreateLogger("Observability.Hosting.Export"));
        }
        catch (Exception)
        {
            // A host that is already shutting down: the line is lost, the decision stands.
        }
        return _stopped;
    }

    // Sets _stopped when the app's exporter sends to the kit's URL; returns the line to write, or null for none.
    private Action<ILogger>? Compare(IReadOnlyList<Uri>? others, object ownExporter, Uri configured)
    {
        var own = OtlpExporterScan.Endpoint(ownExporter);
        if (own is null || others is null || others.Count == 0) return null;
        if (others.Any(endpoint => SameUrl(endpoint, own)))
        {
            _stopped = true;
            return logger => logger.LogInformation(
                "The app's own OTLP exporter also sends {Signal} to {Endpoint}: the kit stops its own export of {Signal}, so each {Item} is sent once, " +
                "by the app's exporter ({ExportedMetric} and the kit's export outage warnings no longer count {Signal})",
                signal, EndpointText.Safe(configured), signal, item, exportedMetric, signal);
        }
        var theirs = string.Join(", ", others.Select(EndpointText.Safe).Distinct(StringComparer.Ordinal));
        return logger => logger.LogWarning(
            "Every {Item} is exported twice: by the kit to {Endpoint} and by the app's own OTLP exporter to {AppEndpoints}. " +
            "To send each {Item} once, remove the app's AddOtlpExporter() for {Signal} (the kit already exports them), " +
            "or give it the kit's endpoint (the kit then leaves the export of {Signal} to it)",
            item, EndpointText.Safe(configured), theirs, item, signal, signal);
    }

    // Scheme, host, port, path and query compared; user info is not part of where the data goes.
    private static bool SameUrl(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.HttpRequestUrl, UriFormat.UriEscaped, StringComparison.Ordinal) == 0;

    // Scheme, host, port and path: no user info, no query.
}

/// <summary>
/// The guards of the kit's three OTLP exports, and their decision when the host starts, so that the line is in the
/// start-up log rather than at the first batch. Never throws: a provider that cannot be built or read leaves the
/// kit's export as it is.
/// </summary>
internal sealed class DuplicateExportCheck(IServiceProvider services, IOptions<ObservabilityOptions> options) : IHostedService
{
    public DuplicateExportGuard<Activity> Traces { get; } = new(services, "traces", "span", TelemetryNames.SpansExported);

    public DuplicateExportGuard<LogRecord> Logs { get; } = new(services, "logs", "log record", TelemetryNames.LogsExported);

    public DuplicateExportGuard<Metric> Metrics { get; } = new(services, "metrics", "metric point", TelemetryNames.ExportFailures);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Resolving builds the providers (OpenTelemetry's own hosted service does the same).
            if (OtlpExport.For(options.Value, OtlpSignal.Traces) is not null)
            {
                services.GetService<TracerProvider>();
                Traces.Decide();
            }
            if (LoggingSetup.IsOn(options.Value))
            {
                services.GetService<LoggerProvider>();
                Logs.Decide();
            }
            if (MetricsSetup.IsOn(options.Value))
            {
                services.GetService<MeterProvider>();
                Metrics.Decide();
            }
        }
        catch (Exception)
        {
            // Cannot tell: the kit keeps exporting, as it would without this check.
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
