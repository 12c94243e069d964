using TestSupport;

namespace Stack.Tests.Implementation;

/// <summary>Where the stack's files live in the repository.</summary>
internal static class StackPaths
{
    public static string Root => RepoPaths.Root;

    public static string ComposeFile => RepoPaths.Combine("docker-compose.yml");

    public static string EnvExample => RepoPaths.Combine(".env.example");

    public static string CollectorConfig => RepoPaths.Combine("otel-collector", "config.yaml");

    public static string TempoConfig => RepoPaths.Combine("tempo", "tempo.yaml");

    public static string PrometheusConfig => RepoPaths.Combine("prometheus", "prometheus.yml");

    public static string PrometheusRules => RepoPaths.Combine("prometheus", "rules");

    public static string PrometheusRuleTests => RepoPaths.Combine("prometheus", "tests");

    public static string GrafanaDatasources => RepoPaths.Combine("grafana", "provisioning", "datasources", "datasources.yaml");

    public static string GrafanaDashboardProvider => RepoPaths.Combine("grafana", "provisioning", "dashboards", "dashboards.yaml");

    public static string GrafanaDashboards => RepoPaths.Combine("grafana", "dashboards");

    public static string K6Script => RepoPaths.Combine("k6", "articles.js");

    public static string TelemetryNames => RepoPaths.Combine("docs", "telemetry-names.md");

    public static IEnumerable<string> RuleFiles => Directory.GetFiles(PrometheusRules, "*.yml").Order(StringComparer.Ordinal);

    public static IEnumerable<string> DashboardFiles => Directory.GetFiles(GrafanaDashboards, "*.json").Order(StringComparer.Ordinal);
}
