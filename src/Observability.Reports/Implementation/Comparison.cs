using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>Run B against run A: metric deltas, endpoint and DB statement changes, and per-profile diff graphs.</summary>
internal sealed class Comparison
{
    private Comparison(RunReport a, RunReport b)
    {
        A = a;
        B = b;
    }

    public RunReport A { get; }

    public RunReport B { get; }

    public List<MetricDelta> Metrics { get; } = [];

    public List<(string Endpoint, MetricDelta P95, MetricDelta Mean)> Endpoints { get; } = [];

    public List<StatementDelta> Statements { get; } = [];

    /// <summary>How profile values are normalised: "per request" or "share of the profile".</summary>
    public string ProfileBasis { get; private set; } = "";

    public Dictionary<string, DiffFlameGraph> Diffs { get; } = [];

    /// <summary>True when the runs were lined up with /v1/ and /v2/ read as one (see <see cref="VersionAlias"/>).</summary>
    public bool VersionsAliased { get; private set; }

    public static Comparison Of(RunReport a, RunReport b)
    {
        var c = new Comparison(a, b);
        c.AddSummary("client", a.Client, b.Client);
        c.AddSummary("server", a.Server, b.Server);

        c.VersionsAliased = VersionAlias.Needed(a.Endpoints.Select(e => e.Key), b.Endpoints.Select(e => e.Key));
        Func<string, string> key = c.VersionsAliased ? VersionAlias.Normalise : k => k;
        var endpointsA = a.Endpoints.GroupBy(e => key(e.Key)).ToDictionary(g => g.Key, g => g.First());
        var endpointsB = b.Endpoints.GroupBy(e => key(e.Key)).ToDictionary(g => g.Key, g => g.First());
        foreach (var k in endpointsA.Keys.Union(endpointsB.Keys).Order(StringComparer.Ordinal))
        {
            var ea = endpointsA.GetValueOrDefault(k);
            var eb = endpointsB.GetValueOrDefault(k);
            var shown = ea is not null && eb is not null && ea.Key != eb.Key ? $"{ea.Key} → {eb.Route}" : (eb ?? ea)!.Key;
            c.Endpoints.Add((shown,
                new MetricDelta("p95", ea?.P95Ms, eb?.P95Ms, Direction.Lower, "ms"),
                new MetricDelta("mean", ea?.MeanMs, eb?.MeanMs, Direction.Lower, "ms")));
        }

        var statementsA = a.DbStatements.ToDictionary(s => (s.System, s.Statement));
        var statementsB = b.DbStatements.ToDictionary(s => (s.System, s.Statement));
        c.Statements.AddRange(statementsA.Keys.Union(statementsB.Keys)
            .Select(k => new StatementDelta(k.System, k.Statement,
                statementsA.GetValueOrDefault(k)?.MeanMs, statementsB.GetValueOrDefault(k)?.MeanMs,
                statementsA.GetValueOrDefault(k)?.Count ?? 0, statementsB.GetValueOrDefault(k)?.Count ?? 0))
            .OrderByDescending(s => Math.Abs(s.ChangeMs ?? double.MaxValue))
            .ThenBy(s => s.Statement, StringComparer.Ordinal));

        // Per request when both runs counted requests the same way, so a longer run does not look slower.
        var requestsA = a.Server?.Requests ?? 0;
        var requestsB = b.Server?.Requests ?? 0;
        var perRequest = requestsA > 0 && requestsB > 0;
        c.ProfileBasis = perRequest ? "per server request" : "as a share of each profile's total";
        foreach (var kind in a.Profiles.Keys.Intersect(b.Profiles.Keys).OrderBy(ReportFiles.KindOrder))
        {
            var pa = a.Profiles[kind];
            var pb = b.Profiles[kind];
            var normA = perRequest ? requestsA : Math.Max(1, FrameStats.SumOf(pa));
            var normB = perRequest ? requestsB : Math.Max(1, FrameStats.SumOf(pb));
            c.Diffs[kind] = new DiffFlameGraph(pa, normA, pb, normB, key);
        }

        return c;
    }

    private void AddSummary(string side, LatencySummary? a, LatencySummary? b)
    {
        if (a is null && b is null)
        {
            return;
        }

        Metrics.Add(new MetricDelta($"{side} requests", a?.Requests, b?.Requests, Direction.Neither, ""));
        Metrics.Add(new MetricDelta($"{side} requests/s", a?.RequestsPerSecond, b?.RequestsPerSecond, Direction.Higher, "/s"));
        Metrics.Add(new MetricDelta($"{side} error rate", a?.ErrorRate, b?.ErrorRate, Direction.Lower, "%"));
        Metrics.Add(new MetricDelta($"{side} p50", a?.P50Ms, b?.P50Ms, Direction.Lower, "ms"));
        Metrics.Add(new MetricDelta($"{side} p95", a?.P95Ms, b?.P95Ms, Direction.Lower, "ms"));
        Metrics.Add(new MetricDelta($"{side} p99", a?.P99Ms, b?.P99Ms, Direction.Lower, "ms"));
    }
}
