using System.Text.RegularExpressions;

namespace Stack.Tests.Implementation;

/// <summary>
/// Replaces the Grafana variables our dashboards and datasource links use with concrete values, formatted as
/// Grafana 13 formats them, so that the expressions can run against a real Prometheus and be checked against the
/// grammar of the backend that receives them. An unknown variable is an error.
/// </summary>
/// <remarks>
/// Formats, from Grafana's sources: <c>:regex</c> and <c>:pipe</c> from @grafana/scenes' formatRegistry.ts (regex
/// escapes with @grafana/data's escapeRegex, <c>[\^$*+?.()|[\]{}/]</c>, and joins several values as
/// <c>(a|b)</c>; pipe joins the raw values with <c>|</c>). A plain <c>$var</c> in a Prometheus query goes through
/// the Prometheus datasource's interpolateQueryExpr: multi-value or include-all variables are regex-escaped for a
/// PromQL string (prometheusSpecialRegexEscape: <c>\\</c> before <c>$^*{}[]+?.()|</c>) and joined as
/// <c>(a|b)</c>; single-value ones only get backslashes doubled (prometheusRegularEscape).
/// </remarks>
internal static partial class GrafanaVariables
{
    // Multi-value, include-all variables of our dashboards: filled with the selected test ids.
    private static readonly HashSet<string> MultiValue = new(StringComparer.Ordinal) { "testid" };

    public static string Substitute(string text, string testId, string job) => Substitute(text, [testId], job, "prometheus");

    /// <param name="testIds">The selected test ids ("All" is every listed id); baseline is the first, candidate the last.</param>
    public static string Substitute(string text, IReadOnlyList<string> testIds, string job, string datasourceType)
    {
        var ids = testIds.Count == 0 ? [""] : testIds;
        var values = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["testid"] = [.. ids],
            ["baseline"] = [ids[0]],
            ["candidate"] = [ids[^1]],
            ["job"] = [job],
            ["route"] = [".*"],
            ["service"] = ["articles-api"],
            ["__rate_interval"] = ["20s"],
            ["__interval"] = ["5s"],
            ["__range"] = ["2m"],
            ["__tags"] = ["service_name=\"articles-api\""],
            ["__span.name"] = ["GET /v1/articles"],
        };
        foreach (var (name, value) in GrafanaDashboards.Constants())
        {
            values[name] = [value];
        }

        // ${name}, ${name:format} and $name
        return Reference().Replace(text, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["bare"].Value;
            if (!values.TryGetValue(name, out var value))
            {
                throw new InvalidDataException($"unknown Grafana variable '{m.Value}' in: {text}");
            }

            return m.Groups["format"].Success
                ? Format(m.Groups["format"].Value, value)
                : Default(name, value, datasourceType);
        });
    }

    private static string Format(string format, string[] value) => format switch
    {
        "regex" => value.Length == 1 ? EscapeRegex(value[0]) : "(" + string.Join('|', value.Select(EscapeRegex)) + ")",
        "pipe" => string.Join('|', value),
        "raw" => string.Join(',', value),
        _ => throw new InvalidDataException($"format ':{format}' is not modelled here"),
    };

    private static string Default(string name, string[] value, string datasourceType)
    {
        if (datasourceType != "prometheus")
        {
            return value.Length == 1 ? value[0] : throw new InvalidDataException($"${name} has several values and no format in a {datasourceType} query");
        }

        if (!MultiValue.Contains(name))
        {
            return value[0].Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\\\'", StringComparison.Ordinal);
        }

        var escaped = value.Select(v => PromRegexSpecial().Replace(v.Replace("\\", "\\\\\\\\", StringComparison.Ordinal), "\\\\$0")).ToList();
        return escaped.Count == 1 ? escaped[0] : "(" + string.Join('|', escaped) + ")";
    }

    private static string EscapeRegex(string value) => RegexSpecial().Replace(value, "\\$0");

    [GeneratedRegex(@"\$\{(?<braced>[A-Za-z0-9_.]+)(?::(?<format>[a-z]+))?\}|\$(?<bare>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Reference();

    [GeneratedRegex(@"[\\^$*+?.()|\[\]{}/]")]
    private static partial Regex RegexSpecial();

    [GeneratedRegex(@"[$^*{}\[\]+?.()|]")]
    private static partial Regex PromRegexSpecial();
}
