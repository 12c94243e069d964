using System.Globalization;

namespace Observability.Reports.Implementation;

/// <summary>One number of run A next to run B, with its direction and whether that direction is good.</summary>
internal sealed record MetricDelta(string Name, double? A, double? B, Direction Better, string Unit)
{
    public double? Change => A is { } a && B is { } b ? b - a : null;

    /// <summary>Relative change (0.1 = +10 %), null when A is zero or unknown.</summary>
    public double? Relative => A is { } a && B is { } b && a != 0 ? (b - a) / Math.Abs(a) : null;

    public string Arrow => Change switch
    {
        null => "",
        > 0 => "▲",
        < 0 => "▼",
        _ => "=",
    };

    /// <summary><c>better</c>, <c>worse</c>, <c>same</c>, or empty when the direction has no meaning (counts).</summary>
    public string Verdict
    {
        get
        {
            if (Change is not { } c || Better == Direction.Neither)
            {
                return "";
            }

            // Under half a percent is noise for every number in the report.
            if (c == 0 || (Relative is { } r && Math.Abs(r) < 0.005))
            {
                return "same";
            }

            return (c < 0) == (Better == Direction.Lower) ? "better" : "worse";
        }
    }

    public string ChangeText()
    {
        if (Change is not { } c)
        {
            return Fmt.None;
        }

        var rel = Relative is { } r ? (r * 100).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture) + " %" : Fmt.Number(c, "+0.###;-0.###;0");
        return Verdict.Length == 0 ? $"{Arrow} {rel}" : $"{Arrow} {rel} ({Verdict})";
    }
}

/// <summary>Which way a metric improves.</summary>
internal enum Direction
{
    Neither,
    Lower,
    Higher,
}
