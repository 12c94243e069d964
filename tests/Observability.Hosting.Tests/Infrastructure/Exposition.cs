using System.Globalization;
using System.Text.RegularExpressions;

namespace Observability.Hosting.Tests.Infrastructure;

/// <summary>Reads what a scrape of <c>/metrics</c> says.</summary>
internal static class Exposition
{
    /// <summary>The value of one series, written exactly as on its line (name and labels); the test fails when it is missing.</summary>
    public static double Value(string exposition, string series)
    {
        var match = Regex.Match(exposition, "^" + Regex.Escape(series) + " (\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"{series} missing from:\n{exposition}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// What a collector that refused every connection leaves: failed exports of <paramref name="signal"/> counted, at
    /// least <paramref name="dropped"/> <paramref name="items"/> ("spans", "logs") dropped, none exported.
    /// </summary>
    public static void AssertRefused(string exposition, string signal, string items, int dropped)
    {
        Assert.True(Value(exposition, $"observability_export_failures_total{{signal=\"{signal}\"}}") >= 1, exposition);
        Assert.True(Value(exposition, $"observability_{items}_dropped_total") >= dropped, exposition);
        Assert.Equal(0, Value(exposition, $"observability_{items}_exported_total"));
    }
}
