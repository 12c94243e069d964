namespace Observability.Reports.Model;

/// <summary>One database statement, aggregated over the DB spans Tempo returned for the test run.</summary>
public sealed record DbStatementStats
{
    public string System { get; init; } = "";

    public string Statement { get; init; } = "";

    public int Count { get; init; }

    public double TotalMs { get; init; }

    public double MeanMs { get; init; }

    public double MaxMs { get; init; }

    /// <summary>A trace that holds the slowest of these spans, for a link.</summary>
    public string? SlowestTraceId { get; init; }
}
