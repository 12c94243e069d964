using System.Globalization;
using System.Text;

namespace Observability.Profiling.FlameGraphs.Implementation;

/// <summary>Text helpers for the SVG writer: XML escaping, truncation, value formatting.</summary>
internal static class SvgText
{
    /// <summary>Escapes XML markup and drops characters XML 1.0 cannot carry (controls, lone surrogates).</summary>
    public static string Escape(string text)
    {
        var sb = new StringBuilder(text.Length + 8);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&apos;"); break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append(c).Append(text[++i]);
                    }
                    else if (char.IsSurrogate(c) || (c < 0x20 && c != '\t') || c == '\uFFFE' || c == '\uFFFF')
                    {
                        sb.Append('\uFFFD');
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>The longest prefix of <paramref name="text"/> that fits <paramref name="maxChars"/>, marked with "..".</summary>
    public static string? Fit(string text, int maxChars)
    {
        if (maxChars < 3) return null;
        if (text.Length <= maxChars) return text;
        var cut = maxChars - 2;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return cut <= 0 ? null : string.Concat(text.AsSpan(0, cut), "..");
    }

    /// <summary>A value with its unit; nanoseconds are shown as time.</summary>
    public static string FormatValue(long value, string unit)
    {
        var inv = CultureInfo.InvariantCulture;
        if (unit == "nanoseconds")
        {
            return value switch
            {
                >= 1_000_000_000 => (value / 1e9).ToString("0.###", inv) + " s",
                >= 1_000_000 => (value / 1e6).ToString("0.###", inv) + " ms",
                >= 1_000 => (value / 1e3).ToString("0.###", inv) + " µs",
                _ => value.ToString(inv) + " ns",
            };
        }
        return value.ToString("N0", inv) + " " + unit;
    }

    public static string Num(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
