namespace Observability.Reports.Model;

/// <summary>One trace of the test run as Tempo's search lists it.</summary>
public sealed record TraceSummary
{
    public string TraceId { get; init; } = "";

    public string RootService { get; init; } = "";

    public string RootName { get; init; } = "";

    public DateTimeOffset Start { get; init; }

    public double DurationMs { get; init; }
}
