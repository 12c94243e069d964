namespace Overhead.Implementation;

/// <summary>Small order statistics for a handful of repetitions.</summary>
internal static class Stats
{
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>(max - min) / median: the spread of repeated runs of the same thing, as a fraction.</summary>
    public static double RelativeSpread(IEnumerable<double> values)
    {
        var list = values.ToList();
        var median = Median(list);
        return list.Count < 2 || median == 0 ? double.NaN : (list.Max() - list.Min()) / median;
    }
}
