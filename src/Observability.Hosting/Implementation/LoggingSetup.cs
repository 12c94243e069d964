using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;

namespace Observability.Hosting.Implementation;

/// <summary>
/// <c>ILogger</c> records to OTLP: the SDK's logger provider stamps trace and span ids from the current
/// Activity; the scrubber redacts and adds the k6 test id; the counting batch processor bounds the queue.
/// </summary>
internal static class LoggingSetup
{
    /// <summary>Logs are exported only when enabled and an OTLP endpoint is configured.</summary>
    public static bool IsOn(ObservabilityOptions options) => options.Logs.Enabled && ExportEndpoint(options) is not null;

    public static void Configure(LoggerProviderBuilder logs, ObservabilityOptions options)
    {
        var endpoint = ExportEndpoint(options)!;
        // Order matters: scrub before the record is queued; the queue holds only what may leave.
        logs.AddProcessor(new LogRecordScrubber(new QueryAllowList(options.Redaction.QueryAllowList)));
        logs.AddProcessor(sp =>
        {
            var exporterOptions = new OtlpExporterOptions
            {
                Endpoint = endpoint,
                Protocol = options.Otlp.Protocol == OtlpExportOptions.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc,
                TimeoutMilliseconds = (int)options.Otlp.ExportTimeout.TotalMilliseconds,
            };
            var exporter = new OtlpLogExporter(exporterOptions);
            var duplicates = sp.GetRequiredService<DuplicateExportCheck>().Logs;
            var processor = new CountingLogExportProcessor(exporter, sp.GetRequiredService<HostingMetrics>(), options.Otlp,
                new ExportOutageLog(sp, "logs", endpoint, options.Otlp.Protocol), duplicates);
            duplicates.Attach(processor, exporter, endpoint);
            return processor;
        });
    }

    /// <summary>
    /// Scopes would export ASP.NET Core's request scope (path, connection and request ids) on every record and
    /// the formatted message would repeat the values the scrubber works on: both stay off, scopes unless
    /// <see cref="LogsOptions.IncludeScopes"/> asks for them.
    /// </summary>
    public static void ConfigureLogger(OpenTelemetryLoggerOptions logger, ObservabilityOptions options)
    {
        logger.IncludeScopes = options.Logs.IncludeScopes;
        logger.IncludeFormattedMessage = false;
    }

    /// <summary>The logs URL: the signal endpoint as is, or the base endpoint (+ /v1/logs for HTTP).</summary>
    public static Uri? ExportEndpoint(ObservabilityOptions options)
    {
        if (options.Otlp.LogsEndpoint is { } logsEndpoint) return logsEndpoint;
        if (options.Otlp.Endpoint is not { } baseEndpoint) return null;
        if (options.Otlp.Protocol != OtlpExportOptions.HttpProtobuf) return baseEndpoint;
        var path = baseEndpoint.AbsolutePath.TrimEnd('/');
        return path.EndsWith("/v1/logs", StringComparison.Ordinal) ? baseEndpoint : new Uri(baseEndpoint, path + "/v1/logs");
    }
}
