namespace Observability.Hosting;

/// <summary>
/// Where metrics go: the values of <c>OTEL_METRICS_EXPORTER</c> (a comma-separated list of <c>prometheus</c>,
/// <c>otlp</c>, or <c>none</c> alone). Unset, the kit serves <c>/metrics</c> only.
/// </summary>
[Flags]
public enum MetricsExporters
{
    /// <summary>No metrics leave the process: <c>/metrics</c> is not served and nothing is pushed.</summary>
    None = 0,

    /// <summary><c>GET /metrics</c> on the management port (the default).</summary>
    Prometheus = 1,

    /// <summary>Pushed over OTLP to the configured endpoint, cumulative, under the same names once a collector writes them for Prometheus.</summary>
    Otlp = 2,
}
