namespace Observability.Hosting;

/// <summary>Where metrics go, and which .NET meters besides the runtime's, ASP.NET Core's, HttpClient's and Npgsql's are published.</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// <c>Meter</c> names to publish besides those named after the application (<c>MyApp</c>, <c>MyApp.Orders</c>);
    /// a trailing <c>*</c> takes every meter that starts with what comes before it.
    /// </summary>
    public IList<string> Meters { get; } = new List<string>();

    /// <summary>
    /// <c>OTEL_METRICS_EXPORTER</c>: <see cref="MetricsExporters.Prometheus"/> (default) serves <c>/metrics</c>,
    /// <see cref="MetricsExporters.Otlp"/> pushes to the OTLP endpoint; both together do both.
    /// </summary>
    public MetricsExporters Exporters { get; set; } = MetricsExporters.Prometheus;
}
