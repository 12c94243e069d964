using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Observability.Profiling;

namespace Observability.Hosting.Implementation;

/// <summary>
/// One information line at start that says where each signal goes and how: the first thing to read when traces, logs,
/// metrics or profiles do not arrive. Credentials and query strings of the addresses are never written.
/// </summary>
internal sealed class StartupSummary(IOptions<ObservabilityOptions> options, ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        loggers.CreateLogger("Observability.Hosting").LogInformation("{Summary}", Describe(options.Value));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static string Describe(ObservabilityOptions o)
    {
        var traces = OtlpExport.For(o, OtlpSignal.Traces)?.Endpoint;
        var logs = LoggingSetup.IsOn(o) ? OtlpExport.For(o, OtlpSignal.Logs)?.Endpoint : null;
        var metrics = MetricsSetup.IsOn(o) ? OtlpExport.For(o, OtlpSignal.Metrics)?.Endpoint : null;
        var protocol = traces is null && logs is null && metrics is null ? ""
            : $" over {o.Otlp.Protocol}{(o.Otlp.ProtocolFromPort ? " (no protocol set; port 4318 is OTLP/HTTP's)" : "")}";
        var prometheus = o.Metrics.Exporters.HasFlag(MetricsExporters.Prometheus);
        var management = o.Management.Enabled
            ? $"{(prometheus ? "/metrics" : "management (no /metrics)")} on {o.Management.Address ?? "127.0.0.1"}:{o.Management.Port.ToString(CultureInfo.InvariantCulture)}"
            : "no management listener";
        // otlp listed but no endpoint: say so, or the operator looks for a push that never starts.
        var metricsTarget = metrics is not null ? "to " + EndpointText.Safe(metrics)
            : o.Metrics.Exporters.HasFlag(MetricsExporters.Otlp) ? "not pushed (otlp listed, no OTLP endpoint)" : "not pushed";
        var p = o.Profiling;
        var profiles = !p.Enabled || p.Mode == ProfilingMode.Off ? "profiling off"
            : $"profiling {p.Mode.ToString().ToLowerInvariant()} (CPU sampler {p.CpuSampler.ToString().ToLowerInvariant()}), " +
              (p.ServerAddress is { } pyroscope ? $"profiles pushed to {EndpointText.Safe(pyroscope)}" : "profiles not pushed (no Pyroscope address)");
        return $"Observability for {o.ServiceName}: traces {Target(traces)}, logs {Target(logs)}, metrics {metricsTarget}{protocol}; " +
               $"metrics exporters {MetricsExporterList.Describe(o.Metrics.Exporters)}; " +
               $"trace sampler {o.Tracing.Sampler}; {management}; {profiles}";

        static string Target(Uri? endpoint) => endpoint is null ? "not exported" : "to " + EndpointText.Safe(endpoint);
    }

    // Scheme, host, port and path: no user info, no query.
}
