using System.Globalization;
using Observability.Profiling.FlameGraphs;
using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>
/// A diff flame graph: run B's profile drawn with each frame coloured by how its time changed from run A, red for
/// more (slower), blue for less (faster), grey for unchanged. Values are compared per request when both runs know
/// their request counts (so a longer run is not "slower"), else as shares of each profile's total.
/// </summary>
internal sealed class DiffFlameGraph
{
    public const string Unchanged = "#d0d0d0";

    // Changes under half a percent of the larger profile are noise; ten percent gets the full colour.
    public const double NoiseFraction = 0.005;
    public const double FullColourFraction = 0.10;

    private readonly Dictionary<string, double> _perUnitA;
    private readonly double _scaleB;
    private readonly double _whole;
    private readonly Func<string, string> _key;

    public DiffFlameGraph(ProfileData a, double normA, ProfileData b, double normB, Func<string, string>? frameKey = null)
    {
        _key = frameKey ?? (k => k);
        GraphB = FlameGraphFiles.ToGraph(b);
        var graphA = FlameGraphFiles.ToGraph(a);
        // Summed, because frames that differ only by API version fall on one key when versions are aliased.
        _perUnitA = graphA.Nodes()
            .GroupBy(n => _key(FlameGraphFiles.PathKey(n)), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(n => n.Total) / normA, StringComparer.Ordinal);
        _scaleB = 1 / normB;
        _whole = Math.Max(graphA.Root.Total / normA, GraphB.Root.Total / normB);
    }

    public FlameGraph GraphB { get; }

    /// <summary>(B − A) of a frame's total as a fraction of the larger of the two profiles.</summary>
    public double Change(FlameNode nodeOfB)
    {
        var b = nodeOfB.Total * _scaleB;
        var a = _perUnitA.GetValueOrDefault(_key(FlameGraphFiles.PathKey(nodeOfB)));
        return _whole > 0 ? (b - a) / _whole : 0;
    }

    public string Fill(FlameNode nodeOfB) => Colour(Change(nodeOfB));

    public static string Colour(double change)
    {
        var size = Math.Abs(change);
        if (size < NoiseFraction || double.IsNaN(change))
        {
            return Unchanged;
        }

        var intensity = Math.Min(1, size / FullColourFraction);
        var fade = (int)Math.Round(200 - 170 * intensity);
        var f = fade.ToString("x2", CultureInfo.InvariantCulture);
        return change > 0 ? $"#ff{f}{f}" : $"#{f}{f}ff";
    }

    public string Render(string title, string subtitle, string unit) =>
        FlameGraphSvg.Render(GraphB, new FlameGraphSvgOptions
        {
            Title = title,
            Subtitle = subtitle,
            Unit = unit,
            Width = 1200,
            FillColor = Fill,
        });
}
