using System.Diagnostics;
using System.Text.RegularExpressions;
using Observability.Hosting.Implementation;
using Observability.Hosting.Tests.Infrastructure;
using Observability.Profiling;

namespace Observability.Hosting.Tests;

/// <summary>Bounded k6 labels: sanitised values, a cap of distinct values, overflow into <c>other</c>, counted.</summary>
public sealed class LoadTestLabelTests
{
    [Theory]
    [InlineData("run-1", "run-1")]
    [InlineData("run 1/ä!", "run1/")]
    [InlineData("", "none")]
    [InlineData("!!!", "none")]
    public void Values_are_sanitised(string raw, string expected)
    {
        var set = new BoundedLabelSet(5, () => { });
        Assert.Equal(expected, set.Map(raw));
    }

    [Fact]
    public void Long_values_are_cut_to_64_characters()
    {
        var set = new BoundedLabelSet(5, () => { });
        Assert.Equal(64, set.Map(new string('a', 500)).Length);
    }

    [Fact]
    public async Task Ten_thousand_distinct_test_ids_stay_within_the_cap()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            [ObservabilityConfigKeys.LoadTestMaxTestIds] = "20",
        });
        const int total = 10_000;
        var next = 0;
        var workers = Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) <= total)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
                request.Headers.Add("baggage", $"k6.testid=run-{i},k6.scenario=s{i % 3}");
                using var response = await host.Client.SendAsync(request);
                response.EnsureSuccessStatusCode();
            }
        });
        await Task.WhenAll(workers);

        var text = await host.ScrapeAsync();
        var testIds = Regex.Matches(text, "http_server_request_duration_seconds_count\\{http_route=\"/hello\"[^}]*testid=\"([^\"]*)\"")
            .Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Equal(21, testIds.Count); // 20 admitted + "other"
        Assert.Contains("other", testIds);
        var counts = Regex.Matches(text, "http_server_request_duration_seconds_count\\{http_route=\"/hello\"[^}]*\\} (\\d+)")
            .Sum(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(total, counts);
        Assert.Contains($"observability_loadtest_label_overflow_total{{label=\"testid\"}} {total - 20}", text);
    }

    [Fact]
    public async Task Labels_are_stored_on_the_server_activity_for_the_profiler()
    {
        LoadTestLabels? seen = null;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Microsoft.AspNetCore",
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("k6.testid") as string == "profiled-run")
                    seen = activity.GetCustomProperty(LoadTestLabels.ActivityPropertyName) as LoadTestLabels;
            },
        };
        ActivitySource.AddActivityListener(listener);
        await using var host = await TestHost.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        request.Headers.Add("baggage", "k6.test_run_id=profiled-run,k6.scenario=browse");
        (await host.Client.SendAsync(request)).EnsureSuccessStatusCode();
        await host.DisposeAsync(); // the server activity has stopped once the host has
        Assert.NotNull(seen);
        Assert.Equal(new LoadTestLabels("profiled-run", "browse"), seen);
    }
}
