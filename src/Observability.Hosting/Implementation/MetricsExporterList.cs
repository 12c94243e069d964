using Microsoft.Extensions.Configuration;
using P = Observability.Hosting.Implementation.ConfigValueParser;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Reads <c>OTEL_METRICS_EXPORTER</c> as the OpenTelemetry specification writes it: a comma-separated list of exporter
/// names, compared without regard to case. The kit knows <c>prometheus</c> and <c>otlp</c>; <c>none</c> stands alone.
/// </summary>
internal static class MetricsExporterList
{
    public const string Prometheus = "prometheus";
    public const string Otlp = "otlp";
    public const string None = "none";

    /// <summary>The exporters named under <paramref name="key"/>, or null when it is unset or blank.</summary>
    public static MetricsExporters? Parse(IConfiguration config, string key)
    {
        if (P.Text(config, key) is not { } text) return null;
        var names = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var result = MetricsExporters.None;
        var none = false;
        foreach (var name in names)
        {
            if (string.Equals(name, Prometheus, StringComparison.OrdinalIgnoreCase)) result |= MetricsExporters.Prometheus;
            else if (string.Equals(name, Otlp, StringComparison.OrdinalIgnoreCase)) result |= MetricsExporters.Otlp;
            else if (string.Equals(name, None, StringComparison.OrdinalIgnoreCase)) none = true;
            else throw P.Invalid(key, text, "expected prometheus, otlp, both separated by a comma, or none");
        }
        // "none" with an exporter beside it asks for two opposite things; the specification leaves it open, the kit refuses it.
        if (none && result != MetricsExporters.None)
            throw P.Invalid(key, text, "'none' cannot be combined with an exporter");
        return names.Length == 0 ? throw P.Invalid(key, text, "expected prometheus, otlp, both separated by a comma, or none") : result;
    }

    /// <summary>The list as the variable would spell it, for the startup line.</summary>
    public static string Describe(MetricsExporters exporters) => exporters switch
    {
        MetricsExporters.None => None,
        MetricsExporters.Prometheus => Prometheus,
        MetricsExporters.Otlp => Otlp,
        _ => Otlp + "," + Prometheus,
    };
}
