namespace Observability.Reports.Implementation;

/// <summary>One series of a Prometheus answer: its labels and its (unix seconds, value) points.</summary>
internal sealed record PromSeries(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<(double Time, double Value)> Points)
{
    public string Label(string name) => Labels.TryGetValue(name, out var v) ? v : "";

    public double LastValue => Points.Count == 0 ? double.NaN : Points[^1].Value;
}
