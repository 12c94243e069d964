namespace Observability.Reports.Model;

/// <summary>Base addresses of the backends a report was made from (also used for the Grafana links).</summary>
public sealed record BackendEndpoints
{
    public const string PrometheusVariable = "OBS_PROMETHEUS_URL";
    public const string TempoVariable = "OBS_TEMPO_URL";
    public const string PyroscopeVariable = "OBS_PYROSCOPE_URL";
    public const string GrafanaVariable = "OBS_GRAFANA_URL";

    // Ports published by the repository's docker-compose.yml.
    public const string DefaultPrometheus = "http://localhost:9090";
    public const string DefaultTempo = "http://localhost:3200";
    public const string DefaultPyroscope = "http://localhost:4040";
    public const string DefaultGrafana = "http://localhost:3000";

    public string Prometheus { get; init; } = DefaultPrometheus;

    public string Tempo { get; init; } = DefaultTempo;

    public string Pyroscope { get; init; } = DefaultPyroscope;

    public string Grafana { get; init; } = DefaultGrafana;
}
