using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Observability.Reports.Tests.Scenario;

/// <summary>Served Tempo and Pyroscope that answer for the simulated runs, picked by the test id in the query.</summary>
public sealed partial class ScenarioBackends : IAsyncDisposable
{
    private readonly Dictionary<string, (LoadScenario Scenario, List<(DateTimeOffset, SimulatedRequest)> Requests)> _runs = new();

    private ScenarioBackends(ServedBackend tempo, ServedBackend pyroscope)
    {
        Tempo = tempo;
        Pyroscope = pyroscope;
    }

    public ServedBackend Tempo { get; }

    public ServedBackend Pyroscope { get; }

    public static async Task<ScenarioBackends> StartAsync()
    {
        ScenarioBackends? self = null;
        var tempo = await ServedBackend.StartAsync(c => self!.AnswerTempo(c));
        var pyroscope = await ServedBackend.StartAsync(c => self!.AnswerPyroscope(c));
        self = new ScenarioBackends(tempo, pyroscope);
        return self;
    }

    public void Add(string testId, LoadScenario scenario, List<(DateTimeOffset, SimulatedRequest)> requests)
    {
        lock (_runs)
        {
            _runs[testId] = (scenario, requests);
        }
    }

    private Task AnswerTempo(HttpContext c)
    {
        var q = c.Request.Query["q"].ToString();
        var match = TempoTestId().Match(q);
        if (c.Request.Path != "/api/search" || !match.Success)
        {
            return Json(c, """{"traces":[],"metrics":{}}""");
        }

        if (!TryGetRun(match.Groups[1].Value, out var run))
        {
            return Json(c, """{"traces":[],"metrics":{"inspectedTraces":0}}""");
        }

        var list = run.Requests.Where(r => r.Item2.Method == "GET" && r.Item2.Route == run.Scenario.ListRoute).Take(40).ToList();
        return Json(c, q.Contains(">>", StringComparison.Ordinal)
            ? TempoAnswerBuilder.DbSpans(list, run.Scenario)
            : TempoAnswerBuilder.Traces(run.Requests.Take(60), match.Groups[1].Value));
    }

    private Task AnswerPyroscope(HttpContext c)
    {
        var query = c.Request.Query["query"].ToString();
        var match = PyroscopeTestId().Match(query);
        if (c.Request.Path != "/pyroscope/render" || !match.Success || !TryGetRun(match.Groups[1].Value, out var run))
        {
            return Json(c, """{"version":1,"flamebearer":{"names":["total"],"levels":[[0,0,0,0]],"numTicks":0,"maxSelf":0},"metadata":{"format":"single"}}""");
        }

        var kind = query.StartsWith("process_cpu:", StringComparison.Ordinal) ? "cpu" : query.StartsWith("wall:", StringComparison.Ordinal) ? "wall" : "request";
        return Json(c, FlamebearerEncoder.RenderAnswer(run.Scenario.Stacks(kind, run.Requests.Count)));
    }

    private bool TryGetRun(string testId, out (LoadScenario Scenario, List<(DateTimeOffset, SimulatedRequest)> Requests) run)
    {
        lock (_runs)
        {
            return _runs.TryGetValue(testId, out run);
        }
    }

    private static async Task Json(HttpContext c, string body)
    {
        c.Response.ContentType = "application/json";
        await c.Response.WriteAsync(body);
    }

    [GeneratedRegex("span\\.k6\\.testid = \"([^\"]+)\"")]
    private static partial Regex TempoTestId();

    [GeneratedRegex("k6_testid=\"([^\"]+)\"")]
    private static partial Regex PyroscopeTestId();

    public async ValueTask DisposeAsync()
    {
        await Tempo.DisposeAsync();
        await Pyroscope.DisposeAsync();
    }
}
