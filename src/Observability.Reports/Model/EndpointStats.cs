namespace Observability.Reports.Model;

/// <summary>One route template of the service over the window.</summary>
public sealed record EndpointStats
{
    public string Method { get; init; } = "";

    public string Route { get; init; } = "";

    public double Requests { get; init; }

    public double Errors { get; init; }

    public double? MeanMs { get; init; }

    public double? P95Ms { get; init; }

    public string Key => $"{Method} {Route}";
}
