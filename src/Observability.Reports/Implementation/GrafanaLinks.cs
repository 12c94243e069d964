using System.Text.Json;
using System.Text.Json.Nodes;

namespace Observability.Reports.Implementation;

/// <summary>
/// Links into Grafana for the same window: Explore panes per data source (uids of grafana/provisioning) and the
/// load-test dashboard with its testid variable.
/// </summary>
internal sealed class GrafanaLinks(string grafanaUrl, DateTimeOffset from, DateTimeOffset to, string dashboardUid = GrafanaLinks.LoadTestDashboardUid)
{
    public const string LoadTestDashboardUid = "load-test";
    public const string PrometheusUid = "prometheus";
    public const string TempoUid = "tempo";
    public const string PyroscopeUid = "pyroscope";

    private string Base => grafanaUrl.TrimEnd('/');

    public string Dashboard(string testId) =>
        $"{Base}/d/{dashboardUid}?from={from.ToUnixTimeMilliseconds()}&to={to.ToUnixTimeMilliseconds()}&var-testid={Uri.EscapeDataString(testId)}";

    public string PrometheusExplore(string promql) => Explore(PrometheusUid, new JsonObject
    {
        ["refId"] = "A",
        ["datasource"] = Source("prometheus", PrometheusUid),
        ["expr"] = promql,
        ["range"] = true,
    });

    public string TempoExplore(string traceQl) => Explore(TempoUid, new JsonObject
    {
        ["refId"] = "A",
        ["datasource"] = Source("tempo", TempoUid),
        ["queryType"] = "traceql",
        ["query"] = traceQl,
        ["limit"] = 20,
    });

    public string Trace(string traceId) => TempoExplore(traceId);

    public string PyroscopeExplore(string profileTypeId, string labelSelector) => Explore(PyroscopeUid, new JsonObject
    {
        ["refId"] = "A",
        ["datasource"] = Source("grafana-pyroscope-datasource", PyroscopeUid),
        ["queryType"] = "profile",
        ["profileTypeId"] = profileTypeId,
        ["labelSelector"] = labelSelector,
        ["groupBy"] = new JsonArray(),
    });

    private string Explore(string datasourceUid, JsonObject query)
    {
        var panes = new JsonObject
        {
            ["obs"] = new JsonObject
            {
                ["datasource"] = datasourceUid,
                ["queries"] = new JsonArray(query),
                ["range"] = new JsonObject
                {
                    ["from"] = from.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["to"] = to.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                },
            },
        };
        var json = panes.ToJsonString(new JsonSerializerOptions { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        return $"{Base}/explore?schemaVersion=1&orgId=1&panes={Uri.EscapeDataString(json)}";
    }

    private static JsonObject Source(string type, string uid) => new() { ["type"] = type, ["uid"] = uid };
}
