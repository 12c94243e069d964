using Observability.Reports.Model;

namespace Observability.Reports.Tests;

/// <summary>Two hand-made runs whose comparison is known in advance.</summary>
internal static class KnownRuns
{
    public static RunReport A() => new()
    {
        TestId = "before",
        From = DateTimeOffset.Parse("2026-11-25T10:00:00Z"),
        To = DateTimeOffset.Parse("2026-11-25T10:05:00Z"),
        Server = new LatencySummary { Requests = 100, Errors = 2, ErrorRate = 0.02, P50Ms = 50, P95Ms = 200, P99Ms = 400, RequestsPerSecond = 100 / 300.0 },
        Endpoints = [new EndpointStats { Method = "GET", Route = "/v1/articles", Requests = 100, MeanMs = 80, P95Ms = 200 }],
        DbStatements =
        [
            new DbStatementStats { System = "postgresql", Statement = "SELECT x", Count = 4, TotalMs = 40, MeanMs = 10, MaxMs = 12 },
            new DbStatementStats { System = "postgresql", Statement = "SELECT y", Count = 2, TotalMs = 2, MeanMs = 1, MaxMs = 1 },
            new DbStatementStats { System = "postgresql", Statement = "SELECT gone", Count = 1, TotalMs = 5, MeanMs = 5, MaxMs = 5 },
        ],
        Profiles = { ["cpu"] = Profile(("main;slow", 100), ("main;fast", 100), ("main;same", 100)) },
    };

    public static RunReport B() => new()
    {
        TestId = "after",
        From = DateTimeOffset.Parse("2026-11-25T11:00:00Z"),
        To = DateTimeOffset.Parse("2026-11-25T11:05:00Z"),
        Server = new LatencySummary { Requests = 100, Errors = 1, ErrorRate = 0.01, P50Ms = 60, P95Ms = 100, P99Ms = 400, RequestsPerSecond = 100 / 300.0 },
        Endpoints = [new EndpointStats { Method = "GET", Route = "/v2/articles", Requests = 100, MeanMs = 40, P95Ms = 150 }],
        DbStatements =
        [
            new DbStatementStats { System = "postgresql", Statement = "SELECT x", Count = 4, TotalMs = 20, MeanMs = 5, MaxMs = 6 },
            new DbStatementStats { System = "postgresql", Statement = "SELECT y", Count = 2, TotalMs = 6, MeanMs = 3, MaxMs = 4 },
            new DbStatementStats { System = "postgresql", Statement = "SELECT new", Count = 1, TotalMs = 7, MeanMs = 7, MaxMs = 7 },
        ],
        Profiles = { ["cpu"] = Profile(("main;slow", 200), ("main;fast", 50), ("main;same", 100)) },
    };

    public static ProfileData Profile(params (string Stack, long Value)[] stacks) => new()
    {
        ProfileTypeId = "process_cpu:cpu:nanoseconds:cpu:nanoseconds",
        Unit = "nanoseconds",
        Total = stacks.Sum(s => s.Value),
        Stacks = stacks.Select(s => new StackSample(s.Stack.Split(';'), s.Value)).ToList(),
    };
}
