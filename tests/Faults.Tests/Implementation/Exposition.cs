using System.Text.RegularExpressions;

namespace Faults.Tests.Implementation;

/// <summary>Reads a Prometheus/OpenMetrics text exposition: sample lines, label values, and a strict line check.</summary>
internal static partial class Exposition
{
    /// <summary>Fetches the exposition of the management port in the given format.</summary>
    public static async Task<string> FetchAsync(Uri managementAddress, bool openMetrics = false)
    {
        using var client = new HttpClient { BaseAddress = managementAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics");
        if (openMetrics)
        {
            request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text; version=1.0.0");
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>Value of a sample (sum over all its series when it has labels); 0 when absent.</summary>
    public static double Sum(string exposition, string name) =>
        Samples(exposition).Where(s => s.Name == name).Sum(s => s.Value);

    /// <summary>Distinct values of one label across the series of one sample name.</summary>
    public static IReadOnlySet<string> LabelValues(string exposition, string name, string label) =>
        Samples(exposition).Where(s => s.Name == name && s.Labels.ContainsKey(label)).Select(s => s.Labels[label]).ToHashSet(StringComparer.Ordinal);

    /// <summary>Lines that are neither a comment nor a well-formed sample (name, escaped labels, number, optional exemplar).</summary>
    public static IReadOnlyList<string> MalformedLines(string exposition) =>
        exposition.Split('\n').Where(l => l.Length > 0 && !l.StartsWith('#') && !SampleLine().IsMatch(l)).ToList();

    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public static IEnumerable<Sample> Samples(string exposition)
    {
        foreach (var line in exposition.Split('\n'))
        {
            var match = SampleLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
            {
                labels[label.Groups["key"].Value] = Regex.Unescape(label.Groups["value"].Value);
            }

            var text = match.Groups["value"].Value;
            var value = text switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                _ => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture),
            };
            yield return new Sample(match.Groups["name"].Value, labels, value);
        }
    }

    // A label value may hold any character but a raw '"', '\' or newline; those must be escaped as \" \\ \n.
    private const string LabelValue = @"(?:[^""\\\n\r]|\\[""\\n])*";

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(?<labels>(?:[a-zA-Z_][a-zA-Z0-9_]*=""" + LabelValue + @""",?)*)\})? (?<value>[-+]?(?:[0-9.eE+-]+|Inf|NaN))(?: [0-9.]+)?(?: # \{(?:[a-zA-Z_][a-zA-Z0-9_]*=""" + LabelValue + @""",?)*\} [-+0-9.eE]+(?: [0-9.]+)?)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>" + LabelValue + @")""")]
    private static partial Regex LabelPair();
}
