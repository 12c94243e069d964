namespace Observability.Reports.Model;

/// <summary>One sample of a chart series.</summary>
public sealed record SeriesPoint(long UnixSeconds, double Value);
