namespace Observability.Reports.Model;

/// <summary>Request count, errors and latency quantiles for the whole window, from one point of view.</summary>
public sealed record LatencySummary
{
    public double Requests { get; init; }

    public double Errors { get; init; }

    /// <summary>Errors / requests, 0..1; null when unknown.</summary>
    public double? ErrorRate { get; init; }

    public double? P50Ms { get; init; }

    public double? P95Ms { get; init; }

    public double? P99Ms { get; init; }

    /// <summary>Requests per second over the window.</summary>
    public double? RequestsPerSecond { get; init; }

    /// <summary>How the quantiles were derived, when it matters for reading them.</summary>
    public string? Note { get; init; }
}
