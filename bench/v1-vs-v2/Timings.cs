using System.Globalization;

namespace Articles.Bench.V1VsV2;

/// <summary>Wall-clock samples of one measured case, in milliseconds.</summary>
internal sealed class Timings(string name)
{
    private readonly List<double> _samples = [];

    public string Name => name;

    public void Add(TimeSpan elapsed) => _samples.Add(elapsed.TotalMilliseconds);

    public double Median => Percentile(0.5);

    public double Min => _samples.Min();

    public double Max => _samples.Max();

    public int Count => _samples.Count;

    private double Percentile(double p)
    {
        var sorted = _samples.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
}
