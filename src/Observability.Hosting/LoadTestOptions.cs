namespace Observability.Hosting;

/// <summary>Bounds of the k6 load-test labels.</summary>
public sealed class LoadTestOptions
{
    /// <summary>Distinct test ids used as label values; later ones become <c>other</c>.</summary>
    public int MaxTestIds { get; set; } = 20;

    /// <summary>Distinct scenarios used as label values; later ones become <c>other</c>.</summary>
    public int MaxScenarios { get; set; } = 20;

    /// <summary>
    /// How long a test id or scenario keeps its label after its last request: then a newer run may take its place
    /// (and its series leave <c>/metrics</c>). Until then, values beyond the caps become <c>other</c>.
    /// </summary>
    public TimeSpan LabelIdleTimeout { get; set; } = DefaultLabelIdleTimeout;

    internal static readonly TimeSpan DefaultLabelIdleTimeout = TimeSpan.FromMinutes(10);
    internal static readonly TimeSpan MinLabelIdleTimeout = TimeSpan.FromSeconds(1);
    internal static readonly TimeSpan MaxLabelIdleTimeout = TimeSpan.FromDays(1);
}
