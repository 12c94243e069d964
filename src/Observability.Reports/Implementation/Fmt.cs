using System.Globalization;

namespace Observability.Reports.Implementation;

/// <summary>Number formatting for the Markdown tables (invariant culture, "—" for unknown).</summary>
internal static class Fmt
{
    public const string None = "—";

    public static string Ms(double? ms) => ms switch
    {
        null => None,
        >= 100 => ms.Value.ToString("0", CultureInfo.InvariantCulture) + " ms",
        >= 10 => ms.Value.ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        _ => ms.Value.ToString("0.00", CultureInfo.InvariantCulture) + " ms",
    };

    public static string Count(double? n) => n is null ? None : Math.Round(n.Value).ToString("#,0", CultureInfo.InvariantCulture);

    public static string Rate(double? n) => n is null ? None : n.Value.ToString("0.0", CultureInfo.InvariantCulture) + "/s";

    public static string Percent(double? ratio) => ratio is null ? None : (ratio.Value * 100).ToString("0.00", CultureInfo.InvariantCulture) + " %";

    public static string Number(double n, string format = "0.##") => n.ToString(format, CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + "Z";

    /// <summary>A nanosecond value as a duration with a sensible unit.</summary>
    public static string Nanos(long ns) => ns switch
    {
        >= 1_000_000_000 => (ns / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + " s",
        >= 1_000_000 => (ns / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " ms",
        >= 1_000 => (ns / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + " µs",
        _ => ns.ToString(CultureInfo.InvariantCulture) + " ns",
    };

    /// <summary>Text safe inside a Markdown table cell.</summary>
    public static string Cell(string text) => text.Replace("|", "\\|").Replace("\r", " ").Replace("\n", " ");

    /// <summary>Text inside inline code, in a table cell.</summary>
    public static string Code(string text) => "`" + Cell(text).Replace("`", "'") + "`";
}
