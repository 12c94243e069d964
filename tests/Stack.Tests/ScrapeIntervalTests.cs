using System.Globalization;
using System.Text.RegularExpressions;
using Stack.Tests.Implementation;

namespace Stack.Tests;

/// <summary>
/// Grafana's <c>$__rate_interval</c> is max(step + s, 4 s) where s is the Prometheus datasource's
/// <c>timeInterval</c> (grafana/grafana, pkg/promlib/models/query.go, calculateRateInterval): a rate over a job
/// scraped less often than s sees fewer than four samples and draws gaps. Every job of prometheus/prometheus.yml
/// must be scraped at the datasource's interval.
/// </summary>
public sealed partial class ScrapeIntervalTests
{
    [Fact]
    public void Every_scrape_job_is_scraped_at_the_datasource_time_interval()
    {
        var datasource = Yaml.LoadFile(StackPaths.GrafanaDatasources).Seq("datasources").Single(d => d.Str("uid") == "prometheus");
        var timeInterval = Duration(datasource.Map("jsonData").Str("timeInterval")
            ?? throw new InvalidDataException("the Prometheus datasource has no timeInterval: Grafana would assume 15s"));

        var config = Yaml.LoadFile(StackPaths.PrometheusConfig);
        var global = Duration(config.Map("global").Str("scrape_interval") ?? "1m");
        var jobs = config.Seq("scrape_configs").Select(j => (Job: j.Str("job_name")!, Interval: j.Str("scrape_interval") is { } own ? Duration(own) : global)).ToList();
        Assert.True(jobs.Count >= 6, $"only {jobs.Count} scrape jobs found");
        Assert.All(jobs, j => Assert.True(j.Interval == timeInterval,
            $"job {j.Job} is scraped every {j.Interval.TotalSeconds} s but $__rate_interval assumes {timeInterval.TotalSeconds} s (timeInterval)"));
    }

    [Theory]
    [InlineData("5s", 5)]
    [InlineData("15s", 15)]
    [InlineData("1m", 60)]
    [InlineData("1m30s", 90)]
    public void Durations_are_read_as_Prometheus_writes_them(string text, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Duration(text));

    private static TimeSpan Duration(string text)
    {
        var parts = DurationPart().Matches(text);
        Assert.True(parts.Count > 0 && string.Concat(parts.Select(p => p.Value)) == text, $"'{text}' is not a duration");
        return parts.Aggregate(TimeSpan.Zero, (sum, p) =>
        {
            var n = double.Parse(p.Groups[1].Value, CultureInfo.InvariantCulture);
            return sum + p.Groups[2].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                _ => TimeSpan.FromHours(n),
            };
        });
    }

    [GeneratedRegex(@"(\d+)(ms|s|m|h)")]
    private static partial Regex DurationPart();
}
