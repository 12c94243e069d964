using System.Globalization;
using Stack.Tests.Implementation;

namespace Stack.Tests;

/// <summary>
/// The service dashboard's connection-pool panel reads Npgsql's own pool gauges under the names the kit publishes
/// them: the connections by state and the maximum return data from a real Prometheus that scraped the real
/// Articles.Api. The third query, opens waiting for a connection, has a series only once an open has waited (the load
/// here never fills the pool); NpgsqlPoolMetricsTests fills a pool and reads that series under the same name.
/// </summary>
public sealed class PoolPanelAgainstPrometheusTests(LiveApiFixture live) : IClassFixture<LiveApiFixture>
{
    private const string Job = "articles-api";

    [Theory]
    // query, the label whose values name the series (empty: one unlabelled series), the least value seen
    [InlineData("A", "db_client_connection_state", 1)]
    [InlineData("B", "", 1)]
    public async Task Each_query_of_the_pool_panel_returns_data(string refId, string label, double least)
    {
        var query = GrafanaDashboards.Queries("service.json", GrafanaDashboards.Load("service.json"))
            .Single(q => q.Where == $"panel 'Database connection pool' {refId}");
        var expr = GrafanaVariables.Substitute(query.Text, live.TestId, Job);
        var end = DateTimeOffset.UtcNow;

        using var doc = await live.Prometheus.QueryRangeAsync(expr, live.LoadStart, end, TimeSpan.FromSeconds(1));
        var series = doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().ToList();

        Assert.NotEmpty(series);
        var highest = series.SelectMany(s => s.GetProperty("values").EnumerateArray())
            .Max(v => double.Parse(v[1].GetString()!, CultureInfo.InvariantCulture));
        Assert.True(highest >= least, $"{expr}: highest value {highest}");
        if (label.Length > 0)
            Assert.All(series, s => Assert.Contains(s.GetProperty("metric").GetProperty(label).GetString(), new[] { "idle", "used" }));
    }
}
