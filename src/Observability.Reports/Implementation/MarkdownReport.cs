using System.Text;
using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>Writes a run's README.md: summary table, endpoints, DB statements, CPU frames, charts, links.</summary>
internal static class MarkdownReport
{
    public const int TopFrames = 15;

    public static string Render(RunReport r, IReadOnlyCollection<string> flameGraphFiles, IReadOnlyCollection<string> chartFiles)
    {
        var links = new GrafanaLinks(r.Backends.Grafana, r.From, r.To);
        var md = new StringBuilder();
        md.AppendLine($"# Load test {Fmt.Code(r.TestId)}").AppendLine();
        md.AppendLine($"Window: **{Fmt.Time(r.From)} → {Fmt.Time(r.To)}** ({Fmt.Number(r.WindowSeconds, "0")} s, {r.WindowSource}). " +
                      $"Generated {Fmt.Time(r.GeneratedAt)} by `obs report`.").AppendLine();
        if (r.Missing.Count > 0)
        {
            md.AppendLine("> **Partial report.** Missing:");
            foreach (var m in r.Missing)
            {
                md.AppendLine($"> - {m}");
            }

            md.AppendLine();
        }

        Summary(md, r);
        foreach (var chart in chartFiles)
        {
            md.AppendLine($"![{Path.GetFileNameWithoutExtension(chart)}]({chart})").AppendLine();
        }

        Endpoints(md, r);
        Statements(md, r, links);
        Traces(md, r, links);
        Frames(md, r, flameGraphFiles);

        md.AppendLine("## Open in Grafana (same window)").AppendLine();
        md.AppendLine($"- [Load test dashboard]({links.Dashboard(r.TestId)})");
        md.AppendLine($"- [Server p95 in Explore]({links.PrometheusExplore(PromQl.Quantile(0.95, $"sum by (le) (rate({PromQl.Select(PromQl.ServerBucket, r.TestId)}[1m]))"))})");
        md.AppendLine($"- [k6 requests in Explore]({links.PrometheusExplore($"sum(rate({PromQl.Select(PromQl.K6Requests, r.TestId)}[1m]))")})");
        md.AppendLine($"- [Traces of the run in Explore]({links.TempoExplore(TempoSection.TracesQuery(r.TestId))})");
        foreach (var (kind, typeId) in PyroscopeSection.Types)
        {
            md.AppendLine($"- [{kind} profile in Explore]({links.PyroscopeExplore(typeId, $"{{{PyroscopeSection.TestIdLabel}=\"{r.TestId}\"}}")})");
        }

        md.AppendLine();
        if (r.Notes.Count > 0)
        {
            md.AppendLine("## Notes").AppendLine();
            foreach (var n in r.Notes)
            {
                md.AppendLine($"- {n}");
            }

            md.AppendLine();
        }

        md.AppendLine("Numbers: [`data.json`](data.json) (input of `obs compare`).");
        return md.ToString();
    }

    private static void Summary(StringBuilder md, RunReport r)
    {
        md.AppendLine("## Summary").AppendLine();
        md.AppendLine("| | requests | rate | errors | p50 | p95 | p99 |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        Row("client (k6)", r.Client);
        Row("server", r.Server);
        md.AppendLine();
        foreach (var s in new[] { r.Client, r.Server })
        {
            if (s?.Note is { } note)
            {
                md.AppendLine($"- {(s == r.Client ? "client" : "server")}: {note}.");
            }
        }

        md.AppendLine();

        void Row(string name, LatencySummary? s) =>
            md.AppendLine(s is null
                ? $"| {name} | {Fmt.None} | {Fmt.None} | {Fmt.None} | {Fmt.None} | {Fmt.None} | {Fmt.None} |"
                : $"| {name} | {Fmt.Count(s.Requests)} | {Fmt.Rate(s.RequestsPerSecond)} | {Fmt.Percent(s.ErrorRate)} | {Fmt.Ms(s.P50Ms)} | {Fmt.Ms(s.P95Ms)} | {Fmt.Ms(s.P99Ms)} |");
    }

    private static void Endpoints(StringBuilder md, RunReport r)
    {
        md.AppendLine("## Top endpoints (server, by total time)").AppendLine();
        if (r.Endpoints.Count == 0)
        {
            md.AppendLine("No server route data.").AppendLine();
            return;
        }

        md.AppendLine("| endpoint | requests | errors | mean | p95 |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var e in r.Endpoints.Take(15))
        {
            md.AppendLine($"| {Fmt.Code(e.Key)} | {Fmt.Count(e.Requests)} | {Fmt.Count(e.Errors)} | {Fmt.Ms(e.MeanMs)} | {Fmt.Ms(e.P95Ms)} |");
        }

        md.AppendLine();
    }

    private static void Statements(StringBuilder md, RunReport r, GrafanaLinks links)
    {
        md.AppendLine("## Top DB statements (by total time)").AppendLine();
        if (r.DbStatements.Count == 0)
        {
            md.AppendLine("No DB spans.").AppendLine();
            return;
        }

        md.AppendLine("| statement | system | spans | total | mean | max |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var s in r.DbStatements.Take(TempoSection.StatementsShown))
        {
            var max = s.SlowestTraceId is null ? Fmt.Ms(s.MaxMs) : $"[{Fmt.Ms(s.MaxMs)}]({links.Trace(s.SlowestTraceId)})";
            md.AppendLine($"| {Fmt.Code(s.Statement)} | {Fmt.Cell(s.System)} | {s.Count} | {Fmt.Ms(s.TotalMs)} | {Fmt.Ms(s.MeanMs)} | {max} |");
        }

        md.AppendLine();
    }

    private static void Traces(StringBuilder md, RunReport r, GrafanaLinks links)
    {
        md.AppendLine("## Slowest traces").AppendLine();
        if (r.SlowTraces.Count == 0)
        {
            md.AppendLine("No traces.").AppendLine();
            return;
        }

        md.AppendLine("| trace | root | start | duration |");
        md.AppendLine("| --- | --- | --- | ---: |");
        foreach (var t in r.SlowTraces)
        {
            md.AppendLine($"| [{Fmt.Cell(t.TraceId)}]({links.Trace(t.TraceId)}) | {Fmt.Cell(t.RootService)}: {Fmt.Code(t.RootName)} | {Fmt.Time(t.Start)} | {Fmt.Ms(t.DurationMs)} |");
        }

        md.AppendLine();
    }

    private static void Frames(StringBuilder md, RunReport r, IReadOnlyCollection<string> flameGraphFiles)
    {
        md.AppendLine("## Profiles").AppendLine();
        if (r.Profiles.TryGetValue("cpu", out var cpu) && FrameStats.SumOf(cpu) > 0)
        {
            var sum = (double)FrameStats.SumOf(cpu);
            md.AppendLine("Top CPU frames (self time):").AppendLine();
            md.AppendLine("| frame | self | self % | total % |");
            md.AppendLine("| --- | ---: | ---: | ---: |");
            foreach (var f in FrameStats.Compute(cpu).Where(f => f.Self > 0).Take(TopFrames))
            {
                md.AppendLine($"| {Fmt.Code(f.Name)} | {Fmt.Nanos(f.Self)} | {Fmt.Percent(f.Self / sum)} | {Fmt.Percent(f.Total / sum)} |");
            }

            md.AppendLine();
        }

        if (flameGraphFiles.Count == 0)
        {
            md.AppendLine("No profiles.").AppendLine();
        }

        foreach (var file in flameGraphFiles)
        {
            md.AppendLine($"![{Path.GetFileNameWithoutExtension(file)}]({file})").AppendLine();
        }
    }
}
