using Observability.Profiling;

namespace Observability.Hosting;

/// <summary>
/// Everything <c>AddObservability()</c> can be told. Filled from the <c>Observability</c> configuration section,
/// then from the standard variables (which win), then from the <c>configure</c> callback (which wins over both).
/// </summary>
public sealed class ObservabilityOptions
{
    /// <summary>When false (or <c>OTEL_SDK_DISABLED=true</c>) the package registers nothing at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The <c>service.name</c> resource attribute; defaults to the application name.</summary>
    public string? ServiceName { get; set; }

    /// <summary>Extra resource attributes (<c>OTEL_RESOURCE_ATTRIBUTES</c>).</summary>
    public IDictionary<string, string> ResourceAttributes { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>OTLP export of traces, logs and metrics.</summary>
    public OtlpExportOptions Otlp { get; } = new();

    /// <summary>Tracing: sampler and extra activity sources.</summary>
    public TracingOptions Tracing { get; } = new();

    /// <summary>Where metrics go (<c>/metrics</c>, OTLP) and the application meters published.</summary>
    public MetricsOptions Metrics { get; } = new();

    /// <summary>OTLP export of <c>ILogger</c> records.</summary>
    public LogsOptions Logs { get; } = new();

    /// <summary>Query-string redaction on spans and log records.</summary>
    public RedactionOptions Redaction { get; } = new();

    /// <summary>The separate management port for /metrics and /debug/pprof.</summary>
    public ManagementOptions Management { get; } = new();

    /// <summary>k6 load-test correlation.</summary>
    public LoadTestOptions LoadTest { get; } = new();

    /// <summary>The always-on profiler (the same instance the profiler reads).</summary>
    public ProfilingOptions Profiling { get; } = new();
}
