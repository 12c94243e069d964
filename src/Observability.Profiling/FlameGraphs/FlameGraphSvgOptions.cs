namespace Observability.Profiling.FlameGraphs;

/// <summary>How <see cref="FlameGraphSvg.Render"/> draws a graph.</summary>
public sealed class FlameGraphSvgOptions
{
    /// <summary>Heading drawn above the graph.</summary>
    public string Title { get; set; } = "Flame graph";

    /// <summary>Optional second line under the heading (time range, labels, …).</summary>
    public string? Subtitle { get; set; }

    /// <summary>Unit of the values: <c>samples</c> or <c>nanoseconds</c> (shown as time).</summary>
    public string Unit { get; set; } = "samples";

    /// <summary>Image width in pixels.</summary>
    public int Width { get; set; } = 1200;

    /// <summary>Height of one frame row in pixels.</summary>
    public int FrameHeight { get; set; } = 17;

    /// <summary>Frames narrower than this many pixels are not drawn (their parent still is).</summary>
    public double MinFrameWidth { get; set; } = 0.2;

    /// <summary>Overrides the fill colour of a frame (any SVG colour); null falls back to the namespace colour.</summary>
    public Func<FlameNode, string?>? FillColor { get; set; }
}
