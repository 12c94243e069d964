namespace Observability.Hosting;

/// <summary>Bounds of the k6 load-test labels.</summary>
public sealed class LoadTestOptions
{
    /// <summary>Distinct test ids used as label values; later ones become <c>other</c>.</summary>
    public int MaxTestIds { get; set; } = 20;

    /// <summary>Distinct scenarios used as label values; later ones become <c>other</c>.</summary>
    public int MaxScenarios { get; set; } = 20;
}
