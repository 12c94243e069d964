using System.Text.RegularExpressions;

namespace Stack.Tests.Implementation;

/// <summary>
/// The names docs/telemetry-names.md promises (the contract between the app, the profiler and this stack):
/// metric names, Pyroscope profile type ids, and the series and sample labels the profiler emits.
/// </summary>
internal static partial class TelemetryNames
{
    private static readonly Lazy<string[]> Lines = new(() => File.ReadAllLines(StackPaths.TelemetryNames));

    public static IReadOnlySet<string> Metrics => Section("## Metrics")
        .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
        .Select(l => Ticked().Match(l).Groups[1].Value)
        .ToHashSet();

    public static IReadOnlySet<string> ProfileTypeIds => Section("## Profiles")
        .Where(l => l.StartsWith("| `", StringComparison.Ordinal))
        .Select(l => Ticked().Matches(l).Last().Groups[1].Value)
        .Where(id => id.Split(':').Length == 5) // name:sample_type:sample_unit:period_type:period_unit; skips the header row
        .ToHashSet();

    /// <summary>Series labels plus sample labels (Pyroscope turns sample labels other than span/trace ids into series labels).</summary>
    public static IReadOnlySet<string> ProfileLabels => Section("## Profiles")
        .SkipWhile(l => !l.StartsWith("Series labels:", StringComparison.Ordinal))
        .TakeWhile(l => l.Trim().Length > 0)
        .SelectMany(l => Ticked().Matches(l).Select(m => m.Groups[1].Value))
        .Where(n => LabelName().IsMatch(n))
        .ToHashSet();

    private static IEnumerable<string> Section(string heading) =>
        Lines.Value.SkipWhile(l => !l.StartsWith(heading, StringComparison.Ordinal)).Skip(1)
            .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal));

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Ticked();

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex LabelName();
}
