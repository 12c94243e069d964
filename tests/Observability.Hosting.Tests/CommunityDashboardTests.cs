using System.Globalization;
using System.Net;
using System.Text.Json;
using Observability.Hosting.Tests.Infrastructure;
using TestSupport;

namespace Observability.Hosting.Tests;

/// <summary>
/// The community dashboards ASP.NET Core's documentation points to (grafana.com 19924 "ASP.NET Core" and 19925
/// "ASP.NET Core Endpoint") work unchanged: each of their queries (kept in TestData/community-dashboard-queries.txt)
/// returns data from a real Prometheus that scraped the management port of an app that answered 2xx, 4xx and 5xx
/// and let an exception through.
/// </summary>
public sealed class CommunityDashboardTests
{
    private const string Job = "aspnetcore-app";
    private const string Route = "/orders/{id:int}";
    private const string Method = "GET";

    // Prometheus scrapes every second; Grafana's $__rate_interval is then max($__interval + scrape, 4 × scrape) for a
    // one-second step, and the dashboards' time range ($__range) covers the whole test.
    private const string RateInterval = "4s";
    private const string Range = "5m";

    [Fact]
    public async Task Every_query_of_both_community_dashboards_returns_data()
    {
        var queries = CommunityQueries.Load();
        Assert.Equal(32, queries.Count(q => q.Kind == "panel"));

        await using var host = await TestHost.StartAsync();
        var instance = $"127.0.0.1:{host.ManagementPort}";
        await using var prometheus = await PrometheusServer.StartAsync(PrometheusServer.ScrapeConfig(TimeSpan.FromSeconds(1), (Job, instance)));
        await prometheus.WaitForTargetsUpAsync(TimeSpan.FromSeconds(60));

        // Two rounds, the second after Prometheus has seen the first, so every counter rises between scrapes.
        await SendRoundAsync(host);
        await WaitForScrapedRequestsAsync(prometheus, 5);
        await SendRoundAsync(host);
        await WaitForScrapedRequestsAsync(prometheus, 10);
        // As Grafana asks: a step grid that ends now (one that stopped short of the last scrape would miss the
        // second round), over the last minute.
        var end = DateTimeOffset.UtcNow;
        var start = end.AddMinutes(-1);

        var empty = new List<string>();
        foreach (var query in queries.Where(q => q.Kind == "panel"))
        {
            var expr = Substitute(query.Text, instance);
            using var doc = await prometheus.QueryRangeAsync(expr, start, end, TimeSpan.FromSeconds(1));
            if (!HasFiniteValue(doc.RootElement))
                empty.Add($"{query.Where}\n  {expr}\n  {doc.RootElement.GetProperty("data").GetProperty("result")}");
        }
        Assert.True(empty.Count == 0, $"{32 - empty.Count} of 32 queries return data; no data from:\n" + string.Join("\n", empty));

        // The template variables offer the values a user picks (label_values(selector, label) is Grafana's own
        // function: its PromQL equivalent runs here).
        var expected = new Dictionary<string, string> { ["job"] = Job, ["instance"] = instance, ["route"] = Route, ["method"] = Method };
        foreach (var variable in queries.Where(q => q.Kind == "variable"))
        {
            var text = Substitute(variable.Text, instance);
            var label = text[(text.LastIndexOf(',') + 1)..^1].Trim();
            var selector = text["label_values(".Length..text.LastIndexOf(',')];
            using var doc = await prometheus.QueryAsync($"group by ({label}) ({selector})");
            var values = doc.RootElement.GetProperty("data").GetProperty("result").EnumerateArray()
                .Select(s => s.GetProperty("metric").TryGetProperty(label, out var v) ? v.GetString() : null).ToList();
            Assert.True(values.Contains(expected[variable.Name]), $"{variable.Where}: {text} offers [{string.Join(", ", values)}]");
        }
    }

    private static async Task SendRoundAsync(TestHost host)
    {
        foreach (var (path, status) in new[] { ("/orders/1", HttpStatusCode.OK), ("/orders/2", HttpStatusCode.NotFound),
                     ("/orders/3", HttpStatusCode.ServiceUnavailable), ("/orders/4", HttpStatusCode.InternalServerError), ("/nowhere", HttpStatusCode.NotFound) })
        {
            using var response = await host.Client.GetAsync(path);
            Assert.Equal(status, response.StatusCode);
        }
    }

    private static async Task WaitForScrapedRequestsAsync(PrometheusServer prometheus, int count)
    {
        using var doc = await prometheus.WaitForSeriesAsync(
            $"sum(http_server_request_duration_seconds_count{{job=\"{Job}\"}}) >= {count}", TimeSpan.FromSeconds(60));
    }

    // Grafana's variables as a user who picked this app and its one route would have them; "$1" in label_replace
    // is PromQL's, not Grafana's, and stays.
    private static string Substitute(string query, string instance) => query
        .Replace("$__rate_interval", RateInterval, StringComparison.Ordinal)
        .Replace("$__range", Range, StringComparison.Ordinal)
        .Replace("$job", Job, StringComparison.Ordinal)
        .Replace("$instance", instance, StringComparison.Ordinal)
        .Replace("$route", Route, StringComparison.Ordinal)
        .Replace("$method", Method, StringComparison.Ordinal);

    private static bool HasFiniteValue(JsonElement answer) =>
        answer.GetProperty("data").GetProperty("result").EnumerateArray()
            .SelectMany(s => s.GetProperty("values").EnumerateArray())
            .Any(v => double.TryParse(v[1].GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) && double.IsFinite(x));

    private sealed record CommunityQuery(string Kind, string Name, string Text, string Where);

    private static class CommunityQueries
    {
        public static List<CommunityQuery> Load()
        {
            var queries = new List<CommunityQuery>();
            var dashboard = "";
            foreach (var line in File.ReadLines(RepoPaths.Combine("tests", "Observability.Hosting.Tests", "TestData", "community-dashboard-queries.txt")))
            {
                if (line.Length == 0 || line.StartsWith('#')) continue;
                if (line.StartsWith('[')) { dashboard = line.Trim('[', ']'); continue; }
                var space = line.IndexOf(' ', StringComparison.Ordinal);
                var kind = line[..space];
                var rest = line[(space + 1)..];
                if (kind == "variable")
                {
                    var name = rest[..rest.IndexOf(' ', StringComparison.Ordinal)];
                    queries.Add(new(kind, name, rest[(name.Length + 1)..], $"{dashboard} variable {name}"));
                }
                else
                {
                    var bar = rest.IndexOf(" | ", StringComparison.Ordinal);
                    queries.Add(new(kind, rest[..bar], rest[(bar + 3)..], $"{dashboard} panel '{rest[..bar]}'"));
                }
            }
            return queries;
        }
    }
}
