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
    public static bool IsOn(ObservabilityOptions options) => options.Logs.Enabled && OtlpExport.For(options, OtlpSignal.Logs) is not null;

    public static void Configure(LoggerProviderBuilder logs, ObservabilityOptions options)
    {
        var export = OtlpExport.For(options, OtlpSignal.Logs)!;
        // Order matters: scrub before the record is queued; the queue holds only what may leave.
        logs.AddProcessor(new LogRecordScrubber(new QueryAllowList(options.Redaction.QueryAllowList)));
        logs.AddProcessor(sp =>
        {
            var exporter = new OtlpLogExporter(export.ExporterOptions());
            var duplicates = sp.GetRequiredService<DuplicateExportCheck>().Logs;
            var processor = new CountingLogExportProcessor(exporter, sp.GetRequiredService<HostingMetrics>().LogExports, options.Otlp,
                export.OutageLog(sp), duplicates);
            duplicates.Attach(processor, exporter, export.Endpoint);
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
}
