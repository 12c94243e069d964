using System.Reflection;
using System.Text.RegularExpressions;
using TestSupport;

namespace Observability.Hosting.Tests;

/// <summary>
/// docs/telemetry-names.md documents src/Shared/TelemetryNames.cs, the one source of the names the kit writes: every
/// name there is in the document where a reader looks for it, and the document's table of the kit's own metrics lists
/// exactly the code's.
/// </summary>
public sealed partial class TelemetryNamesDocumentTests
{
    private static readonly string[] Document = File.ReadAllLines(RepoPaths.Combine("docs", "telemetry-names.md"));

    [Fact]
    public void The_table_of_the_kits_own_metrics_lists_exactly_the_codes()
    {
        var table = Section("## Metrics (prometheus-net")
            .SkipWhile(l => !l.StartsWith("The kit's own", StringComparison.Ordinal))
            .SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|'))
            .Select(l => Ticked().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .ToHashSet();
        Assert.Empty(TelemetryNames.KitMetrics.Except(table));
        Assert.Empty(table.Except(TelemetryNames.KitMetrics));
    }

    public static TheoryData<string, string> Names()
    {
        var data = new TheoryData<string, string>();
        foreach (var (field, value) in Constants())
        {
            if (field.EndsWith("Label", StringComparison.Ordinal) || field.EndsWith("Attribute", StringComparison.Ordinal)
                || field.StartsWith("Signal", StringComparison.Ordinal))
                data.Add(field, value);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Every_label_attribute_and_signal_name_is_in_the_document(string field, string value)
    {
        // Profile sample labels are documented with the profiles; metric labels and span attributes anywhere in a table or list.
        var where = field is nameof(TelemetryNames.SpanIdLabel) or nameof(TelemetryNames.TraceIdLabel)
            or nameof(TelemetryNames.K6TestIdLabel) or nameof(TelemetryNames.K6ScenarioLabel)
            ? Section("## Profiles")
            : Document;
        Assert.True(where.Any(l => l.Contains($"`{value}`", StringComparison.Ordinal)),
            $"TelemetryNames.{field} = \"{value}\" is not in docs/telemetry-names.md");
    }

    [Fact]
    public void The_report_tool_reads_the_names_the_service_writes()
    {
        // The obs tool compiles the same file: its PromQL names are the code's, not copies.
        var promQl = File.ReadAllText(RepoPaths.Combine("src", "Observability.Reports", "Implementation", "PromQl.cs"));
        Assert.DoesNotContain($"\"{TelemetryNames.HttpServerRequestDuration}\"", promQl);
        Assert.DoesNotContain($"\"{TelemetryNames.TestIdLabel}\"", promQl);
        Assert.Contains("TelemetryNames.HttpServerRequestDuration", promQl);
    }

    private static IEnumerable<(string Field, string Value)> Constants() =>
        typeof(TelemetryNames).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!));

    private static IEnumerable<string> Section(string heading) =>
        Document.SkipWhile(l => !l.StartsWith(heading, StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal));

    [GeneratedRegex(@"^\| `([^`]+)`")]
    private static partial Regex Ticked();
}
