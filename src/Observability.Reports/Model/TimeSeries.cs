namespace Observability.Reports.Model;

/// <summary>A named series of (unix seconds, value) points for the charts.</summary>
public sealed record TimeSeries
{
    public string Name { get; init; } = "";

    public string Unit { get; init; } = "";

    public List<SeriesPoint> Points { get; init; } = [];
}
