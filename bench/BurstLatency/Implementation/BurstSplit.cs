namespace BurstLatency.Implementation;

/// <summary>
/// Requests split by whether they overlapped a profiler session (from the start of its opening to the end of its
/// stop, plus <c>spill</c> after it: a backlog built during a burst drains after it), and what the p99 would be if
/// bursts covered a given share of requests: the mixture
/// (1 − d)·F_outside + d·F_inside solved for 0.99. Measuring inside and outside in one run at a high duty cycle and
/// predicting low ones is far less noisy than comparing two runs' p99 on a shared 2-core machine.
/// </summary>
internal sealed class BurstSplit
{
    public BurstSplit(IReadOnlyList<TimedLoad.Request> requests, IReadOnlyList<(double Start, double End)> sessions, double spill)
    {
        var windows = sessions.Select(w => (w.Start, End: w.End + spill)).ToList();
        var first = requests.Min(r => r.Start);
        var last = requests.Max(r => r.Start);
        Seconds = last - first;
        SampledSeconds = windows.Sum(w => Math.Max(0, Math.Min(w.End, last) - Math.Max(w.Start, first)));
        var inside = new List<double>();
        var outside = new List<double>();
        foreach (var r in requests)
        {
            var end = r.Start + r.LatencyMs / 1000;
            (windows.Any(w => r.Start < w.End && end > w.Start) ? inside : outside).Add(r.LatencyMs);
        }
        Inside = [.. inside.Order()];
        Outside = [.. outside.Order()];
        All = [.. requests.Select(r => r.LatencyMs).Order()];
        Errors = requests.Count(r => !r.Ok);
    }

    public double Seconds { get; }
    public double SampledSeconds { get; }
    public double[] Inside { get; }
    public double[] Outside { get; }
    public double[] All { get; }
    public int Errors { get; }

    /// <summary>Share of in-burst requests slower than the p99 of the requests outside bursts.</summary>
    public double InsideOverOutsideP99 =>
        Inside.Length == 0 ? 0 : Inside.Count(l => l > Quantile(Outside, 0.99)) / (double)Inside.Length;

    public static double Quantile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    /// <summary>The p99 of a mix where a share <paramref name="duty"/> of requests met a burst, by bisection.</summary>
    public double MixedP99(double duty)
    {
        if (Inside.Length == 0 || Outside.Length == 0) return Quantile(All, 0.99);
        double low = 0, high = All[^1];
        for (var i = 0; i < 60; i++)
        {
            var mid = (low + high) / 2;
            var below = (1 - duty) * Rank(Outside, mid) + duty * Rank(Inside, mid);
            if (below >= 0.99) high = mid;
            else low = mid;
        }
        return high;
    }

    private static double Rank(double[] sorted, double value)
    {
        var index = Array.BinarySearch(sorted, value);
        if (index < 0) index = ~index;
        else while (index < sorted.Length && sorted[index] <= value) index++;
        return index / (double)sorted.Length;
    }
}
