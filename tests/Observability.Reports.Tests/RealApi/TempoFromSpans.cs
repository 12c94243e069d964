using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using TestSupport.Otlp;

namespace Observability.Reports.Tests.RealApi;

/// <summary>
/// Answers Tempo's <c>/api/search</c> from spans the service really exported, for the two query shapes the report
/// sends: traces with a span whose <c>k6.testid</c> is X, and DB spans below such a span. Window and limit are applied
/// as Tempo does (trace start within start/end seconds); the JSON is Tempo's, 64-bit numbers as strings.
/// </summary>
public static partial class TempoFromSpans
{
    public static string Answer(IQueryCollection query, IReadOnlyCollection<ReceivedSpan> spans)
    {
        var q = query["q"].ToString();
        var match = TestId().Match(q);
        var start = long.Parse(query["start"].ToString(), CultureInfo.InvariantCulture) * 1_000_000_000;
        var end = long.Parse(query["end"].ToString(), CultureInfo.InvariantCulture) * 1_000_000_000;
        var limit = int.Parse(query["limit"].ToString(), CultureInfo.InvariantCulture);
        var spss = int.Parse(query["spss"].ToString(), CultureInfo.InvariantCulture);
        var traces = new JsonArray();
        if (match.Success)
        {
            var testId = match.Groups[1].Value;
            var descendantsOnly = q.Contains(">>", StringComparison.Ordinal);
            foreach (var trace in spans.GroupBy(s => s.TraceId).OrderBy(t => t.Min(s => s.StartUnixNano)))
            {
                var all = trace.ToList();
                var root = all.FirstOrDefault(s => all.All(p => p.SpanId != s.ParentSpanId)) ?? all[0];
                if (root.StartUnixNano < start || root.StartUnixNano > end)
                {
                    continue;
                }

                var tagged = all.Where(s => s.Attributes.GetValueOrDefault("k6.testid") == testId).ToList();
                var matched = descendantsOnly
                    ? all.Where(s => IsDb(s) && tagged.Any(t => IsBelow(s, t, all))).ToList()
                    : tagged;
                if (matched.Count == 0)
                {
                    continue;
                }

                traces.Add(Trace(root, all, matched.Take(spss).ToList(), descendantsOnly));
                if (traces.Count == limit)
                {
                    break;
                }
            }
        }

        return new JsonObject { ["traces"] = traces, ["metrics"] = new JsonObject { ["inspectedTraces"] = spans.Select(s => s.TraceId).Distinct().Count() } }.ToJsonString();
    }

    private static bool IsDb(ReceivedSpan s) => s.Attributes.ContainsKey("db.system") || s.Attributes.ContainsKey("db.system.name");

    private static bool IsBelow(ReceivedSpan span, ReceivedSpan ancestor, List<ReceivedSpan> trace)
    {
        var current = span;
        for (var guard = 0; guard < 64 && current is not null; guard++)
        {
            if (current.ParentSpanId == ancestor.SpanId)
            {
                return true;
            }

            current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId);
        }

        return false;
    }

    private static JsonObject Trace(ReceivedSpan root, List<ReceivedSpan> all, List<ReceivedSpan> matched, bool withDbAttributes) => new()
    {
        ["traceID"] = root.TraceId,
        ["rootServiceName"] = "articles-api",
        ["rootTraceName"] = root.Name,
        ["startTimeUnixNano"] = root.StartUnixNano.ToString(CultureInfo.InvariantCulture),
        ["durationMs"] = (all.Max(s => s.EndUnixNano) - all.Min(s => s.StartUnixNano)) / 1_000_000,
        ["spanSets"] = new JsonArray(new JsonObject
        {
            ["spans"] = new JsonArray(matched.Select(s => (JsonNode?)Span(s, withDbAttributes)).ToArray()),
            ["matched"] = matched.Count,
        }),
    };

    private static JsonObject Span(ReceivedSpan s, bool withDbAttributes)
    {
        // Tempo returns the attributes of the filter and of select(); for the plain query that is k6.testid.
        string[] keys = withDbAttributes ? ["db.system", "db.system.name", "db.statement", "db.query.text"] : ["k6.testid"];
        return new JsonObject
        {
            ["spanID"] = s.SpanId,
            ["name"] = s.Name,
            ["startTimeUnixNano"] = s.StartUnixNano.ToString(CultureInfo.InvariantCulture),
            ["durationNanos"] = s.DurationNanos.ToString(CultureInfo.InvariantCulture),
            ["attributes"] = new JsonArray(keys.Where(s.Attributes.ContainsKey).Select(k => (JsonNode?)new JsonObject
            {
                ["key"] = k,
                ["value"] = new JsonObject { ["stringValue"] = s.Attributes[k] },
            }).ToArray()),
        };
    }

    [GeneratedRegex("span\\.k6\\.testid = \"([^\"]+)\"")]
    private static partial Regex TestId();
}
