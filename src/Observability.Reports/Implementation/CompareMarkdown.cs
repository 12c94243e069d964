using System.Text;

namespace Observability.Reports.Implementation;

/// <summary>Writes the README.md of a comparison.</summary>
internal static class CompareMarkdown
{
    public static string Render(Comparison c, IReadOnlyCollection<string> diffFiles)
    {
        var md = new StringBuilder();
        md.AppendLine($"# {Fmt.Code(c.A.TestId)} → {Fmt.Code(c.B.TestId)}").AppendLine();
        md.AppendLine($"- A: {Fmt.Code(c.A.TestId)}, {Fmt.Time(c.A.From)} → {Fmt.Time(c.A.To)} ([report](../{ReportFiles.FolderName(c.A.TestId)}/README.md))");
        md.AppendLine($"- B: {Fmt.Code(c.B.TestId)}, {Fmt.Time(c.B.From)} → {Fmt.Time(c.B.To)} ([report](../{ReportFiles.FolderName(c.B.TestId)}/README.md))");
        if (c.VersionsAliased)
        {
            md.AppendLine("- The runs share no route, so `/v1/…` and `/v2/…` (any `/vN/`) are compared as the same endpoint and frame.");
        }

        md.AppendLine().AppendLine("▲ = B is higher, ▼ = B is lower; better/worse says which way is good for that number.").AppendLine();

        md.AppendLine("## Summary").AppendLine();
        md.AppendLine("| metric | A | B | change |");
        md.AppendLine("| --- | ---: | ---: | --- |");
        foreach (var m in c.Metrics)
        {
            md.AppendLine($"| {m.Name} | {Value(m, m.A)} | {Value(m, m.B)} | {m.ChangeText()} |");
        }

        md.AppendLine();
        if (c.Endpoints.Count > 0)
        {
            md.AppendLine("## Endpoints (server)").AppendLine();
            md.AppendLine("| endpoint | p95 A | p95 B | p95 change | mean A | mean B | mean change |");
            md.AppendLine("| --- | ---: | ---: | --- | ---: | ---: | --- |");
            foreach (var (endpoint, p95, mean) in c.Endpoints)
            {
                md.AppendLine($"| {Fmt.Code(endpoint)} | {Fmt.Ms(p95.A)} | {Fmt.Ms(p95.B)} | {p95.ChangeText()} | {Fmt.Ms(mean.A)} | {Fmt.Ms(mean.B)} | {mean.ChangeText()} |");
            }

            md.AppendLine();
        }

        Statements(md, c, "slower", "DB statements that got slower");
        Statements(md, c, "faster", "DB statements that got faster");
        Statements(md, c, "new", "DB statements only in B");
        Statements(md, c, "gone", "DB statements only in A");

        md.AppendLine("## Diff flame graphs").AppendLine();
        if (diffFiles.Count == 0)
        {
            md.AppendLine("No profile type is in both runs.").AppendLine();
        }
        else
        {
            md.AppendLine($"B's profile; colour = change of each frame's time from A, {c.ProfileBasis}: " +
                          "red = more time (slower), blue = less (faster), grey = within 0.5 %. Full colour at 10 % of the whole.").AppendLine();
            foreach (var file in diffFiles)
            {
                md.AppendLine($"![{Path.GetFileNameWithoutExtension(file)}]({file})").AppendLine();
            }
        }

        return md.ToString();
    }

    private static void Statements(StringBuilder md, Comparison c, string kind, string heading)
    {
        var rows = c.Statements.Where(s => s.Kind == kind).Take(15).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        md.AppendLine($"## {heading}").AppendLine();
        md.AppendLine("| statement | mean A | mean B | change | spans A | spans B |");
        md.AppendLine("| --- | ---: | ---: | --- | ---: | ---: |");
        foreach (var s in rows)
        {
            var delta = new MetricDelta("mean", s.MeanMsA, s.MeanMsB, Direction.Lower, "ms");
            md.AppendLine($"| {Fmt.Code(s.Statement)} | {Fmt.Ms(s.MeanMsA)} | {Fmt.Ms(s.MeanMsB)} | {delta.ChangeText()} | {s.CountA} | {s.CountB} |");
        }

        md.AppendLine();
    }

    private static string Value(MetricDelta m, double? v) => m.Unit switch
    {
        "ms" => Fmt.Ms(v),
        "%" => Fmt.Percent(v),
        "/s" => Fmt.Rate(v),
        _ => Fmt.Count(v),
    };
}
