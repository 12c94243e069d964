using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>Fills the Prometheus parts of a report: k6's client view, the service's server view, routes, charts.</summary>
internal sealed class PrometheusSection(PrometheusClient prometheus, Progress progress, TimeSpan scrapeInterval)
{
    private static readonly double[] Quantiles = [0.5, 0.95, 0.99];

    public async Task CollectAsync(RunReport report, CancellationToken ct)
    {
        var window = report.To - report.From;
        progress.Step("Prometheus: k6 client metrics");
        report.Client = await ClientAsync(report.TestId, window, report.To, ct);
        if (report.Client is null)
        {
            report.Missing.Add($"k6 client metrics: no {PromQl.K6Requests} series with testid=\"{report.TestId}\" in the window (was k6 run with -o experimental-prometheus-rw and --tag testid=…?).");
        }

        progress.Step("Prometheus: server request histogram");
        report.Server = await ServerAsync(report.TestId, window, report.To, ct);
        if (report.Server is null)
        {
            report.Missing.Add($"server metrics: no {PromQl.ServerCount} series with testid=\"{report.TestId}\" in the window (is the service scraped, and does k6 send the baggage k6.testid?).");
        }
        else
        {
            progress.Step("Prometheus: routes");
            report.Endpoints = await EndpointsAsync(report.TestId, window, report.To, ct);
        }

        progress.Step("Prometheus: time series for the charts");
        await ChartsAsync(report, ct);
    }

    private async Task<LatencySummary?> ClientAsync(string testId, TimeSpan window, DateTimeOffset at, CancellationToken ct)
    {
        var requests = await prometheus.ScalarAsync(PromQl.WindowDelta(PromQl.Select(PromQl.K6Requests, testId), window), at, ct);
        if (requests is null)
        {
            return null;
        }

        var failed = await prometheus.ScalarAsync(
            PromQl.WindowDelta(PromQl.Select(PromQl.K6Requests, testId, "expected_response=\"false\""), window), at, ct) ?? 0;

        // Native histograms (K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM) give true quantiles over the window; the
        // default trend stats are k6's own per-series values, of which the highest is shown.
        var q = new double?[Quantiles.Length];
        var note = $"quantiles from the native histogram {PromQl.K6DurationNative}";
        for (var i = 0; i < Quantiles.Length; i++)
        {
            var native = $"histogram_quantile({Quantiles[i]}, sum(increase({PromQl.Select(PromQl.K6DurationNative, testId)}[{PromQl.Duration(window)}])))";
            q[i] = await prometheus.ScalarAsync(native, at, ct);
        }

        if (q.All(v => v is null))
        {
            note = "quantiles are k6 trend stats (k6_http_req_duration_med/p95/p99; the highest across request names)";
            string[] stats = ["med", "p95", "p99"];
            for (var i = 0; i < stats.Length; i++)
            {
                var expr = $"max(last_over_time({PromQl.Select(PromQl.K6DurationStatPrefix + stats[i], testId)}[{PromQl.Duration(window)}]))";
                q[i] = await prometheus.ScalarAsync(expr, at, ct);
            }
        }

        return Summary(requests.Value, failed, q, window, note);
    }

    private async Task<LatencySummary?> ServerAsync(string testId, TimeSpan window, DateTimeOffset at, CancellationToken ct)
    {
        var requests = await prometheus.ScalarAsync(PromQl.WindowDelta(PromQl.Select(PromQl.ServerCount, testId), window), at, ct);
        if (requests is null)
        {
            return null;
        }

        var errors = await prometheus.ScalarAsync(
            PromQl.WindowDelta(PromQl.Select(PromQl.ServerCount, testId, PromQl.ServerErrorMatcher), window), at, ct) ?? 0;
        var buckets = PromQl.WindowDelta(PromQl.Select(PromQl.ServerBucket, testId), window, "le");
        var q = new double?[Quantiles.Length];
        for (var i = 0; i < Quantiles.Length; i++)
        {
            q[i] = await prometheus.ScalarAsync(PromQl.Quantile(Quantiles[i], buckets), at, ct);
        }

        return Summary(requests.Value, errors, q, window, "quantiles interpolated from histogram buckets (histogram_quantile), 5xx counted as errors");
    }

    // Client and server numbers alike: counts over the window, the quantiles (seconds) in Quantiles' order.
    private static LatencySummary Summary(double requests, double errors, double?[] quantiles, TimeSpan window, string note) => new()
    {
        Requests = requests,
        Errors = errors,
        ErrorRate = requests > 0 ? errors / requests : null,
        P50Ms = Ms(quantiles[0]),
        P95Ms = Ms(quantiles[1]),
        P99Ms = Ms(quantiles[2]),
        RequestsPerSecond = window.TotalSeconds > 0 ? requests / window.TotalSeconds : null,
        Note = note,
    };

    private async Task<List<EndpointStats>> EndpointsAsync(string testId, TimeSpan window, DateTimeOffset at, CancellationToken ct)
    {
        const string by = PromQl.RouteLabel + ", " + PromQl.MethodLabel;
        var counts = await prometheus.QueryAsync(PromQl.WindowDelta(PromQl.Select(PromQl.ServerCount, testId), window, by), at, ct);
        var errors = await prometheus.QueryAsync(PromQl.WindowDelta(PromQl.Select(PromQl.ServerCount, testId, PromQl.ServerErrorMatcher), window, by), at, ct);
        var sums = await prometheus.QueryAsync(PromQl.WindowDelta(PromQl.Select(PromQl.ServerSum, testId), window, by), at, ct);
        var p95 = await prometheus.QueryAsync(PromQl.Quantile(0.95, PromQl.WindowDelta(PromQl.Select(PromQl.ServerBucket, testId), window, "le, " + by)), at, ct);

        static string Key(PromSeries s) => s.Label(PromQl.MethodLabel) + " " + s.Label(PromQl.RouteLabel);
        var errorBy = errors.ToDictionary(Key, s => s.LastValue);
        var sumBy = sums.ToDictionary(Key, s => s.LastValue);
        var p95By = p95.ToDictionary(Key, s => s.LastValue);
        return counts
            .Where(s => s.LastValue > 0)
            .Select(s => new EndpointStats
            {
                Method = s.Label(PromQl.MethodLabel),
                Route = s.Label(PromQl.RouteLabel),
                Requests = s.LastValue,
                Errors = errorBy.GetValueOrDefault(Key(s)),
                MeanMs = sumBy.TryGetValue(Key(s), out var sum) ? sum / s.LastValue * 1000 : null,
                P95Ms = Ms(p95By.TryGetValue(Key(s), out var p) ? p : null),
            })
            .OrderByDescending(e => e.Requests * (e.MeanMs ?? 0))
            .ThenBy(e => e.Key, StringComparer.Ordinal)
            .ToList();
    }

    private async Task ChartsAsync(RunReport report, CancellationToken ct)
    {
        var step = PromQl.ChartStep(report.To - report.From);
        var rw = PromQl.Duration(PromQl.RateWindow(step, scrapeInterval));
        var id = report.TestId;
        async Task Add(List<TimeSeries> into, string name, string unit, string expr, double scale)
        {
            var series = await prometheus.QueryRangeAsync(expr, report.From, report.To, step, ct);
            if (series.Count == 0)
            {
                return;
            }

            into.Add(new TimeSeries
            {
                Name = name,
                Unit = unit,
                Points = series[0].Points
                    .Where(p => double.IsFinite(p.Value))
                    .Select(p => new SeriesPoint((long)p.Time, p.Value * scale))
                    .ToList(),
            });
        }

        var serverBuckets = $"sum by (le) (rate({PromQl.Select(PromQl.ServerBucket, id)}[{rw}]))";
        foreach (var q in Quantiles)
        {
            await Add(report.Latency, $"server p{q * 100:0}", "ms", PromQl.Quantile(q, serverBuckets), 1000);
        }

        await Add(report.Latency, "k6 p95", "ms", $"max({PromQl.Select(PromQl.K6DurationStatPrefix + "p95", id)})", 1000);
        await Add(report.Latency, "k6 p99", "ms", $"max({PromQl.Select(PromQl.K6DurationStatPrefix + "p99", id)})", 1000);
        await Add(report.Throughput, "server requests/s", "req/s", $"sum(rate({PromQl.Select(PromQl.ServerCount, id)}[{rw}]))", 1);
        await Add(report.Throughput, "server 5xx/s", "req/s", $"sum(rate({PromQl.Select(PromQl.ServerCount, id, PromQl.ServerErrorMatcher)}[{rw}]))", 1);
        await Add(report.Throughput, "k6 requests/s", "req/s", $"sum(rate({PromQl.Select(PromQl.K6Requests, id)}[{rw}]))", 1);
    }

    private static double? Ms(double? seconds) => seconds is null ? null : seconds * 1000;
}
