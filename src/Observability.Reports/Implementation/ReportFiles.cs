using System.Text.Json;
using System.Text.Json.Serialization;
using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>Writes and reads a run's folder: README.md, data.json, latency.svg, throughput.svg, flamegraph-*.svg.</summary>
internal static class ReportFiles
{
    public const string DataFile = "data.json";
    public const string ReadmeFile = "README.md";

    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Writes every file of the run into <paramref name="dir"/> and returns the names written.</summary>
    public static List<string> Write(RunReport report, string dir)
    {
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        var charts = new List<string>();
        var subtitle = $"test {report.TestId}, {Fmt.Time(report.From)} → {Fmt.Time(report.To)}";
        Chart("latency.svg", Charts.Render($"Latency, test {report.TestId}", "milliseconds", report.Latency));
        Chart("throughput.svg", Charts.Render($"Throughput, test {report.TestId}", "requests per second", report.Throughput));

        var flames = new List<string>();
        foreach (var (kind, profile) in report.Profiles.OrderBy(p => KindOrder(p.Key)))
        {
            var name = $"flamegraph-{kind}.svg";
            File.WriteAllText(Path.Combine(dir, name), FlameGraphFiles.Render(kind, profile, subtitle));
            flames.Add(name);
        }

        File.WriteAllText(Path.Combine(dir, DataFile), JsonSerializer.Serialize(report, Json));
        File.WriteAllText(Path.Combine(dir, ReadmeFile), MarkdownReport.Render(report, flames, charts));
        written.AddRange(charts);
        written.AddRange(flames);
        written.Add(DataFile);
        written.Add(ReadmeFile);
        return written;

        void Chart(string name, string? svg)
        {
            if (svg is null)
            {
                return;
            }

            File.WriteAllText(Path.Combine(dir, name), svg);
            charts.Add(name);
        }
    }

    public static RunReport Read(string dir)
    {
        var path = Path.Combine(dir, DataFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"no saved report at {dir} ({DataFile} is missing); run `obs report --testid …` first.", path);
        }

        try
        {
            return JsonSerializer.Deserialize<RunReport>(File.ReadAllText(path), Json)
                   ?? throw new InvalidDataException($"{path} is empty");
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path} is not a report's data.json: {ex.Message}", ex);
        }
    }

    public static int KindOrder(string kind) => kind switch { "cpu" => 0, "wall" => 1, "request" => 2, _ => 3 };

    /// <summary>A test id as a folder name: path separators and other unsafe characters become '_'.</summary>
    public static string FolderName(string testId)
    {
        var chars = testId.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray();
        var name = new string(chars).Trim('.');
        return name.Length == 0 ? "_" : name;
    }
}
