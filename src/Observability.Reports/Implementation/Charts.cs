using Observability.Reports.Model;
using ScottPlot;

namespace Observability.Reports.Implementation;

/// <summary>Time-series charts as SVG, drawn by ScottPlot.</summary>
internal static class Charts
{
    public const int Width = 900;
    public const int Height = 400;

    private const string DejaVuFolder = "/usr/share/fonts/truetype/dejavu";

    // Sans-serif, like the flame graphs next to the charts. Skia without fontconfig cannot find fonts by family
    // name on Linux, so Debian's DejaVu Sans files are registered by path when they are there.
    static Charts()
    {
        var regular = Path.Combine(DejaVuFolder, "DejaVuSans.ttf");
        var bold = Path.Combine(DejaVuFolder, "DejaVuSans-Bold.ttf");
        if (File.Exists(regular) && File.Exists(bold))
        {
            Fonts.AddFontFile("DejaVu Sans", regular, bold: false, italic: false);
            Fonts.AddFontFile("DejaVu Sans", bold, bold: true, italic: false);
            Fonts.Default = "DejaVu Sans";
        }
        else
        {
            Fonts.Default = Fonts.Sans;
        }
    }

    /// <summary>The chart's SVG text, or null when no series has a point.</summary>
    public static string? Render(string title, string yLabel, IReadOnlyList<TimeSeries> series)
    {
        var drawn = series.Where(s => s.Points.Count > 0).ToList();
        if (drawn.Count == 0)
        {
            return null;
        }

        var plot = new Plot();
        foreach (var s in drawn)
        {
            var xs = s.Points.Select(p => DateTimeOffset.FromUnixTimeSeconds(p.UnixSeconds).UtcDateTime.ToOADate()).ToArray();
            var ys = s.Points.Select(p => p.Value).ToArray();
            var line = plot.Add.ScatterLine(xs, ys);
            line.LegendText = s.Name;
            line.LineWidth = 2;
        }

        plot.Axes.DateTimeTicksBottom();
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.XLabel("time (UTC)");
        plot.ShowLegend(Alignment.UpperLeft);
        // Values start at zero so small changes are not blown up.
        plot.Axes.AutoScale();
        var limits = plot.Axes.GetLimits();
        plot.Axes.SetLimitsY(0, Math.Max(limits.Top * 1.1, 1e-9));
        return plot.GetSvgXml(Width, Height);
    }
}
