using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>Fills the Tempo parts of a report: the slowest traces and the DB statements of the test run.</summary>
internal sealed class TempoSection(TempoClient tempo, Progress progress, int traceLimit = 200)
{
    public const int SlowTracesShown = 10;
    public const int StatementsShown = 15;

    public static string TracesQuery(string testId) => $"{{ span.k6.testid = \"{Escape(testId)}\" }}";

    // The test id is on the server span; DB spans are its descendants. Both the old and the new semantic
    // convention names of the DB attributes are selected.
    public static string DbSpansQuery(string testId) =>
        $"{{ span.k6.testid = \"{Escape(testId)}\" }} >> {{ span.db.system != nil || span.db.system.name != nil }}" +
        " | select(span.db.statement, span.db.query.text, span.db.system, span.db.system.name)";

    public async Task CollectAsync(RunReport report, CancellationToken ct)
    {
        progress.Step("Tempo: traces of the test run");
        var traces = await tempo.SearchAsync(TracesQuery(report.TestId), report.From, report.To, traceLimit, 3, ct);
        report.SlowTraces = traces
            .OrderByDescending(t => t.DurationMs)
            .ThenBy(t => t.TraceId, StringComparer.Ordinal)
            .Take(SlowTracesShown)
            .Select(t => new TraceSummary
            {
                TraceId = t.TraceId,
                RootService = t.RootServiceName,
                RootName = t.RootTraceName,
                Start = DateTimeOffset.FromUnixTimeMilliseconds(t.StartTimeUnixNano / 1_000_000),
                DurationMs = t.DurationMs,
            })
            .ToList();
        if (traces.Count == 0)
        {
            report.Missing.Add($"traces: Tempo found no trace with span.k6.testid = \"{report.TestId}\" in the window.");
        }
        else
        {
            report.Notes.Add($"Slowest traces are the slowest of the {traces.Count} traces Tempo's search returned (limit {traceLimit}).");
        }

        progress.Step("Tempo: DB spans of the test run");
        var dbTraces = await tempo.SearchAsync(DbSpansQuery(report.TestId), report.From, report.To, traceLimit, 100, ct);
        report.DbStatements = AggregateStatements(dbTraces);
        var spanCount = dbTraces.Sum(t => t.Spans.Count);
        if (spanCount == 0)
        {
            report.Missing.Add("DB statements: Tempo found no DB span under the test run's server spans.");
        }
        else
        {
            report.Notes.Add($"DB statements are aggregated from {spanCount} DB spans in {dbTraces.Count} traces returned by Tempo's search (a sample, not every request).");
        }
    }

    internal static List<DbStatementStats> AggregateStatements(IEnumerable<TempoTrace> traces) =>
        traces
            .SelectMany(t => t.Spans.Select(s => (Trace: t.TraceId, Span: s)))
            .DistinctBy(x => (x.Trace, x.Span.SpanId))
            .GroupBy(x => (System: Attr(x.Span, "db.system", "db.system.name"), Statement: Statement(x.Span)))
            .Select(g =>
            {
                var slowest = g.MaxBy(x => x.Span.DurationNanos);
                var totalMs = g.Sum(x => x.Span.DurationNanos) / 1e6;
                return new DbStatementStats
                {
                    System = g.Key.System,
                    Statement = g.Key.Statement,
                    Count = g.Count(),
                    TotalMs = totalMs,
                    MeanMs = totalMs / g.Count(),
                    MaxMs = slowest.Span.DurationNanos / 1e6,
                    SlowestTraceId = slowest.Trace,
                };
            })
            .OrderByDescending(s => s.TotalMs)
            .ThenBy(s => s.Statement, StringComparer.Ordinal)
            .ToList();

    private static string Statement(TempoSpan span)
    {
        var text = Attr(span, "db.statement", "db.query.text");
        text = text.Length == 0 ? span.Name : text;
        // One line, bounded: statements are table keys and Markdown cells.
        text = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return text.Length > 300 ? text[..300] + "…" : text;
    }

    private static string Attr(TempoSpan span, string name, string alternative) =>
        span.Attributes.TryGetValue(name, out var v) || span.Attributes.TryGetValue(alternative, out v) ? v : "";

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
