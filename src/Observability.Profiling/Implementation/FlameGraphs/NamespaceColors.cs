using System.Globalization;

namespace Observability.Profiling.FlameGraphs.Implementation;

/// <summary>Stable colours per namespace: the same code gets the same colour in every graph.</summary>
internal static class NamespaceColors
{
    /// <summary>The namespace part of a frame: <c>A.B.Type.Method</c> gives <c>A.B</c>, <c>GET /x</c> gives <c>GET</c>.</summary>
    public static string NamespaceOf(string frame)
    {
        var name = frame;
        var paren = name.IndexOf('(');
        if (paren > 0) name = name[..paren];
        var space = name.IndexOf(' ');
        if (space > 0) return name[..space];
        var lastDot = name.LastIndexOf('.');
        if (lastDot <= 0) return name;
        var typeDot = name.LastIndexOf('.', lastDot - 1);
        return typeDot <= 0 ? name[..lastDot] : name[..typeDot];
    }

    /// <summary>A light, saturated colour (dark text stays readable on it) chosen by a stable hash.</summary>
    public static string For(string frame)
    {
        var key = NamespaceOf(frame);
        uint hash = 2166136261;
        foreach (var c in key)
        {
            hash ^= c;
            hash *= 16777619;
        }
        var hue = hash % 360;
        var saturation = 0.55 + (hash >> 9) % 20 / 100.0;
        var lightness = 0.62 + (hash >> 17) % 12 / 100.0;
        return ToRgb(hue, saturation, lightness);
    }

    private static string ToRgb(double hue, double s, double l)
    {
        var c = (1 - Math.Abs(2 * l - 1)) * s;
        var h = hue / 60.0;
        var x = c * (1 - Math.Abs(h % 2 - 1));
        var (r, g, b) = h switch
        {
            < 1 => (c, x, 0.0),
            < 2 => (x, c, 0.0),
            < 3 => (0.0, c, x),
            < 4 => (0.0, x, c),
            < 5 => (x, 0.0, c),
            _ => (c, 0.0, x),
        };
        var m = l - c / 2;
        return string.Create(CultureInfo.InvariantCulture,
            $"rgb({Channel(r + m)},{Channel(g + m)},{Channel(b + m)})");
    }

    private static int Channel(double v) => (int)Math.Round(Math.Clamp(v, 0, 1) * 255);
}
