namespace Observability.Reports.Implementation;

/// <summary>
/// Finds when a test id was active from the counters that carry it: k6's request counter (remote write) and the
/// service's request histogram count. A coarse scan over the look-back, then a fine scan around what it found.
/// </summary>
internal sealed class WindowFinder(PrometheusClient prometheus)
{
    public sealed record Found(DateTimeOffset From, DateTimeOffset To, string Source);

    public async Task<Found?> FindAsync(string testId, TimeSpan lookBack, DateTimeOffset now, CancellationToken ct)
    {
        Found? union = null;
        foreach (var metric in new[] { PromQl.K6Requests, PromQl.ServerCount })
        {
            var expr = $"sum({PromQl.Select(metric, testId)})";
            var coarseStep = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(lookBack.TotalSeconds / 1000)));
            var coarse = await ActiveSpanAsync(expr, now - lookBack, now, coarseStep, ct);
            if (coarse is null)
            {
                continue;
            }

            var (start, end) = coarse.Value;
            var fineFrom = start - 2 * coarseStep;
            var fineTo = end + coarseStep < now ? end + coarseStep : now;
            var fineStep = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling((fineTo - fineFrom).TotalSeconds / 1000)));
            var fine = await ActiveSpanAsync(expr, fineFrom, fineTo, fineStep, ct) ?? coarse.Value;

            // The first point appears at the first step at or after the first sample: start one step earlier so the
            // window's "before" part holds none of this run's samples. The first sample itself was scraped (or pushed)
            // up to one sample interval after the run's first request: start that much earlier too.
            var from = fine.Start - fineStep - TimeSpan.FromSeconds(1);
            var firstSample = await FirstSampleMinusIntervalAsync(PromQl.Select(metric, testId), fineFrom, fineTo, ct);
            if (firstSample < from)
            {
                from = firstSample.Value;
            }

            // The service counts a request when it ends: the run began up to the slowest of its first-counted
            // requests earlier (a cold v1 list page takes seconds).
            if (metric == PromQl.ServerCount)
            {
                from -= await SlowestFirstCountedAsync(testId, fineFrom, fineTo, ct);
            }

            var found = new Found(from, fine.End, metric);
            union = union is null
                ? found
                : new Found(Min(union.From, found.From), Max(union.To, found.To), union.Source + " and " + metric);
        }

        return union;
    }

    // From the first point where the counter exists to the first point where it reaches its final value.
    private async Task<(DateTimeOffset Start, DateTimeOffset End)?> ActiveSpanAsync(
        string expr, DateTimeOffset from, DateTimeOffset to, TimeSpan step, CancellationToken ct)
    {
        var series = await prometheus.QueryRangeAsync(expr, from, to, step, ct);
        var points = series.Count == 0 ? [] : series[0].Points.Where(p => !double.IsNaN(p.Value)).ToList();
        if (points.Count == 0)
        {
            return null;
        }

        var final = points.Max(p => p.Value);
        var end = points.First(p => p.Value >= final).Time;
        return (FromUnix(points[0].Time), FromUnix(end));
    }

    // Raw samples of the run's series around the run: the earliest one, minus the shortest spacing between two
    // samples of one series (the scrape or push interval). Null when no series has two samples.
    private async Task<DateTimeOffset?> FirstSampleMinusIntervalAsync(
        string selector, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling((to - from).TotalSeconds));
        var series = await prometheus.QueryAsync($"{selector}[{seconds}s]", to, ct);
        double? first = null;
        double? interval = null;
        foreach (var s in series)
        {
            for (var i = 0; i < s.Points.Count; i++)
            {
                var time = s.Points[i].Time;
                first = first is null ? time : Math.Min(first.Value, time);
                if (i > 0 && time > s.Points[i - 1].Time)
                {
                    var gap = time - s.Points[i - 1].Time;
                    interval = interval is null ? gap : Math.Min(interval.Value, gap);
                }
            }
        }

        return first is null || interval is null ? null : FromUnix(first.Value - interval.Value);
    }

    // The histogram's buckets at the run's earliest scrape: the smallest bound that holds every request counted then.
    private async Task<TimeSpan> SlowestFirstCountedAsync(string testId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var seconds = Math.Max(1, (long)Math.Ceiling((to - from).TotalSeconds));
        var series = await prometheus.QueryAsync($"{PromQl.Select(PromQl.ServerBucket, testId)}[{seconds}s]", to, ct);
        var withPoints = series.Where(s => s.Points.Count > 0 && s.Labels.ContainsKey("le")).ToList();
        if (withPoints.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var earliest = withPoints.Min(s => s.Points[0].Time);
        var counts = withPoints.Where(s => s.Points[0].Time == earliest)
            .GroupBy(s => ParseBound(s.Labels["le"]))
            .ToDictionary(g => g.Key, g => g.Sum(s => s.Points[0].Value));
        if (!counts.TryGetValue(double.PositiveInfinity, out var total) || total <= 0)
        {
            return TimeSpan.Zero;
        }

        var finite = counts.Keys.Where(double.IsFinite).Order().ToList();
        var bound = finite.FirstOrDefault(le => counts[le] >= total, finite.Count == 0 ? 0 : finite[^1]);
        return TimeSpan.FromSeconds(bound);
    }

    private static double ParseBound(string le) =>
        le is "+Inf" or "Inf" ? double.PositiveInfinity : double.Parse(le, System.Globalization.CultureInfo.InvariantCulture);

    private static DateTimeOffset FromUnix(double seconds) => DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000));

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
