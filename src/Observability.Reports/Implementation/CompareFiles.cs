namespace Observability.Reports.Implementation;

/// <summary>Writes a comparison folder: README.md and flamegraph-diff-{kind}.svg.</summary>
internal static class CompareFiles
{
    public static string FolderName(string testIdA, string testIdB) =>
        $"compare-{ReportFiles.FolderName(testIdA)}-vs-{ReportFiles.FolderName(testIdB)}";

    public static List<string> Write(Comparison c, string dir)
    {
        Directory.CreateDirectory(dir);
        var files = new List<string>();
        foreach (var (kind, diff) in c.Diffs)
        {
            var name = $"flamegraph-diff-{kind}.svg";
            var title = $"{FlameGraphFiles.Titles.GetValueOrDefault(kind, kind)} diff: {c.A.TestId} → {c.B.TestId}";
            var unit = c.B.Profiles[kind].Unit == "nanoseconds" ? "nanoseconds" : "samples";
            File.WriteAllText(Path.Combine(dir, name), diff.Render(title, "red = slower, blue = faster, grey = unchanged (widths: B)", unit));
            files.Add(name);
        }

        File.WriteAllText(Path.Combine(dir, ReportFiles.ReadmeFile), CompareMarkdown.Render(c, files));
        files.Add(ReportFiles.ReadmeFile);
        return files;
    }
}
