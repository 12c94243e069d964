using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>What <c>obs report</c> was asked for.</summary>
internal sealed record ReportRequest(
    string TestId,
    DateTimeOffset? From,
    DateTimeOffset? To,
    BackendEndpoints Backends,
    string? ServiceName,
    TimeSpan LookBack,
    TimeSpan ScrapeInterval,
    int TraceLimit = 200);
