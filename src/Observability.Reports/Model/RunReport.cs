namespace Observability.Reports.Model;

/// <summary>
/// Everything one report knows about a k6 test run; saved as <c>data.json</c> so that
/// <c>obs compare</c> works later without any backend.
/// </summary>
public sealed class RunReport
{
    /// <summary>Bumped when the shape of data.json changes incompatibly.</summary>
    public int SchemaVersion { get; set; } = 1;

    public string TestId { get; set; } = "";

    public DateTimeOffset From { get; set; }

    public DateTimeOffset To { get; set; }

    /// <summary>How the window was chosen: given on the command line, or found from which series.</summary>
    public string WindowSource { get; set; } = "";

    public DateTimeOffset GeneratedAt { get; set; }

    public BackendEndpoints Backends { get; set; } = new();

    /// <summary>k6's own view (remote-write metrics), null when k6 wrote nothing for this test id.</summary>
    public LatencySummary? Client { get; set; }

    /// <summary>The service's view (its request-duration histogram), null when it has no series for this test id.</summary>
    public LatencySummary? Server { get; set; }

    public List<EndpointStats> Endpoints { get; set; } = [];

    public List<DbStatementStats> DbStatements { get; set; } = [];

    public List<TraceSummary> SlowTraces { get; set; } = [];

    /// <summary>Profiles keyed by short kind: <c>cpu</c>, <c>wall</c>, <c>request</c>.</summary>
    public Dictionary<string, ProfileData> Profiles { get; set; } = [];

    public List<TimeSeries> Latency { get; set; } = [];

    public List<TimeSeries> Throughput { get; set; } = [];

    /// <summary>What could not be filled in, and why (a partial report says so at the top).</summary>
    public List<string> Missing { get; set; } = [];

    /// <summary>Notes about how numbers were derived (samples, approximations).</summary>
    public List<string> Notes { get; set; } = [];

    public double WindowSeconds => (To - From).TotalSeconds;
}
