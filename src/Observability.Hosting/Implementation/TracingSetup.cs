using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Trace;

namespace Observability.Hosting.Implementation;

/// <summary>The tracer provider: sources, sampler, redaction, and the processors in the order they must run.</summary>
internal static class TracingSetup
{
    /// <summary>
    /// Traces the instrumentations, the application's own sources by convention (a source named after the
    /// application, or below it: <c>MyApp</c>, <c>MyApp.Orders</c>) and the configured ones.
    /// </summary>
    public static void Configure(TracerProviderBuilder tracing, ObservabilityOptions options, string applicationName)
    {
        var allowList = new QueryAllowList(options.Redaction.QueryAllowList);
        tracing
            .SetSampler(SamplerFactory.Create(options.Tracing.Sampler, options.Tracing.SamplerArg))
            .AddAspNetCoreInstrumentation(aspnet =>
            {
                aspnet.Filter = context => !PathFilter.IsExcluded(context.Request.Path);
                aspnet.RecordException = true;
                // The instrumentation redacts every value (or none, when its switch is off); ours keeps the allow-list.
                aspnet.EnrichWithHttpRequest = (activity, request) =>
                {
                    if (request.QueryString.HasValue)
                        activity.SetTag("url.query", Redaction.RedactQuery(request.QueryString.Value!, allowList));
                };
            })
            .AddHttpClientInstrumentation(http =>
            {
                http.RecordException = true;
                http.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    if (request.RequestUri is { } uri) activity.SetTag("url.full", Redaction.RedactUrl(uri, allowList));
                };
            })
            .AddSqlClientInstrumentation()
            .AddNpgsql()
            .AddSource(applicationName, applicationName + ".*");
        foreach (var source in options.Tracing.Sources.Distinct(StringComparer.Ordinal))
            tracing.AddSource(source);

        // Order matters: scrub URLs and DB spans and measure DB spans first, then let the profiler see them, then export.
        tracing.AddProcessor(new UrlRedactionProcessor(allowList));
        tracing.AddProcessor(sp => new DbSpanProcessor(sp.GetRequiredService<HostingMetrics>()));
        ProfilingSetup.AddSpanProcessor(tracing, options);
        if (OtlpExport.For(options, OtlpSignal.Traces) is { } export)
        {
            tracing.AddProcessor(sp =>
            {
                var exporter = new OtlpTraceExporter(export.ExporterOptions());
                var duplicates = sp.GetRequiredService<DuplicateExportCheck>().Traces;
                var processor = new CountingSpanExportProcessor(exporter, sp.GetRequiredService<HostingMetrics>().TraceExports, options.Otlp,
                    export.OutageLog(sp), duplicates);
                duplicates.Attach(processor, exporter, export.Endpoint);
                return processor;
            });
        }
    }
}
