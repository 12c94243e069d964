using Observability.Profiling.FlameGraphs;
using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>Flame graph SVGs from a report's stacks, through the profiler's renderer.</summary>
internal static class FlameGraphFiles
{
    public static readonly IReadOnlyDictionary<string, string> Titles = new Dictionary<string, string>
    {
        ["cpu"] = "CPU",
        ["wall"] = "Wall clock",
        ["request"] = "Request time (spans, I/O included)",
    };

    public static FlameGraph ToGraph(ProfileData profile) =>
        FlameGraph.FromStacks(profile.Stacks.Select(s => new KeyValuePair<IReadOnlyList<string>, long>(s.Frames, s.Value)));

    public static string Render(string kind, ProfileData profile, string subtitle, Func<FlameNode, string?>? fill = null, string? title = null) =>
        FlameGraphSvg.Render(ToGraph(profile), new FlameGraphSvgOptions
        {
            Title = title ?? $"{Titles.GetValueOrDefault(kind, kind)} flame graph",
            Subtitle = subtitle,
            Unit = profile.Unit == "nanoseconds" ? "nanoseconds" : "samples",
            Width = 1200,
            FillColor = fill,
        });

    /// <summary>The frames from the root's child down to <paramref name="node"/>, joined: the key of a call path.</summary>
    public static string PathKey(FlameNode node)
    {
        var names = new List<string>();
        for (var n = node; n?.Parent is not null; n = n.Parent)
        {
            names.Add(n.Name);
        }

        names.Reverse();
        return string.Join('\u001f', names);
    }
}
