using System.Globalization;
using System.Text.Json.Nodes;

namespace Observability.Reports.Tests.Scenario;

/// <summary>
/// Tempo <c>/api/search</c> answers for a simulated run, in Tempo's protobuf JSON (64-bit numbers as strings):
/// the run's list requests as traces, and their DB spans.
/// </summary>
public static class TempoAnswerBuilder
{
    public static string Traces(IEnumerable<(DateTimeOffset Time, SimulatedRequest Request)> requests, string testId) =>
        Answer(requests.Select((r, i) => Trace(r.Time, r.Request, i, [Span(SpanId(i, 0), $"{r.Request.Method} {r.Request.Route}", r.Time, r.Request.Seconds * 1000,
            ("k6.testid", testId))])));

    public static string DbSpans(IEnumerable<(DateTimeOffset Time, SimulatedRequest Request)> requests, LoadScenario scenario)
    {
        var statements = scenario.ListStatements();
        return Answer(requests.Select((r, i) =>
        {
            var spans = new JsonArray();
            var offset = 2.0;
            for (var s = 0; s < statements.Count; s++)
            {
                // Spread around the typical duration so max and mean differ.
                var ms = statements[s].Ms * (0.8 + (0.4 * ((i * 7 + s) % 10) / 10.0));
                spans.Add(Span(SpanId(i, s + 1), "postgresql", r.Time.AddMilliseconds(offset), ms,
                    ("db.system", "postgresql"), ("db.statement", statements[s].Statement)));
                offset += ms;
            }

            return Trace(r.Time, r.Request, i, spans);
        }));
    }

    private static JsonObject Trace(DateTimeOffset start, SimulatedRequest request, int index, JsonArray spans) => new()
    {
        ["traceID"] = "4bf92f3577b34da6a3ce929d" + (index + 1).ToString("x8", CultureInfo.InvariantCulture),
        ["rootServiceName"] = "articles-api",
        ["rootTraceName"] = $"{request.Method} {request.Route}",
        ["startTimeUnixNano"] = Nanos(start),
        ["durationMs"] = (long)Math.Round(request.Seconds * 1000),
        ["spanSets"] = new JsonArray(new JsonObject { ["spans"] = spans, ["matched"] = spans.Count }),
    };

    private static JsonObject Span(string id, string name, DateTimeOffset start, double ms, params (string Key, string Value)[] attributes) => new()
    {
        ["spanID"] = id,
        ["name"] = name,
        ["startTimeUnixNano"] = Nanos(start),
        ["durationNanos"] = ((long)(ms * 1_000_000)).ToString(CultureInfo.InvariantCulture),
        ["attributes"] = new JsonArray(attributes.Select(a => (JsonNode?)new JsonObject
        {
            ["key"] = a.Key,
            ["value"] = new JsonObject { ["stringValue"] = a.Value },
        }).ToArray()),
    };

    private static string Answer(IEnumerable<JsonObject> traces) => new JsonObject
    {
        ["traces"] = new JsonArray(traces.Select(t => (JsonNode?)t).ToArray()),
        ["metrics"] = new JsonObject { ["inspectedTraces"] = 1000, ["inspectedBytes"] = "123456", ["completedJobs"] = 1, ["totalJobs"] = 1 },
    }.ToJsonString();

    private static string SpanId(int trace, int span) => (trace * 16 + span + 1).ToString("x16", CultureInfo.InvariantCulture);

    private static string Nanos(DateTimeOffset t) => (t.ToUnixTimeMilliseconds() * 1_000_000).ToString(CultureInfo.InvariantCulture);
}
