using System.Text.RegularExpressions;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The meter names a provider's <c>AddMeter</c> took, matched as OpenTelemetry .NET matches them: whole names
/// compared without case, <c>*</c> standing for any run of characters and <c>?</c> for one.
/// </summary>
internal sealed class MeterNamePatterns
{
    private readonly HashSet<string> _names = new(StringComparer.OrdinalIgnoreCase);
    private readonly Regex? _wildcards;

    public MeterNamePatterns(IEnumerable<string> patterns)
    {
        var wildcards = new List<string>();
        foreach (var pattern in patterns.Where(p => !string.IsNullOrWhiteSpace(p)))
        {
            if (pattern.Contains('*') || pattern.Contains('?')) wildcards.Add(pattern);
            else _names.Add(pattern);
        }
        if (wildcards.Count > 0)
        {
            var alternatives = wildcards.Select(w => Regex.Escape(w).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal));
            // A bounded match time: the patterns are the app's, the names any library's.
            _wildcards = new Regex($"^(?:{string.Join('|', alternatives)})$",
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));
        }
    }

    public bool Matches(string meterName)
    {
        if (_names.Contains(meterName)) return true;
        try
        {
            return _wildcards?.IsMatch(meterName) == true;
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
