using System.Text.RegularExpressions;

namespace Stack.Tests.Implementation;

/// <summary>
/// Replaces the Grafana variables our dashboards and datasource links use with concrete values, as Grafana
/// would, so that the expressions can run against a real Prometheus. An unknown variable is an error.
/// </summary>
internal static partial class GrafanaVariables
{
    public static string Substitute(string text, string testId, string job)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["testid"] = testId,
            ["baseline"] = testId,
            ["candidate"] = testId,
            ["job"] = job,
            ["route"] = ".*",
            ["service"] = "articles-api",
            ["__rate_interval"] = "20s",
            ["__interval"] = "5s",
            ["__range"] = "2m",
            ["__tags"] = "service_name=\"articles-api\"",
            ["__span.name"] = "GET /v1/articles",
        };

        // ${name}, ${name:format} and $name
        var result = Reference().Replace(text, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["bare"].Value;
            return values.TryGetValue(name, out var value)
                ? value
                : throw new InvalidDataException($"unknown Grafana variable '{m.Value}' in: {text}");
        });
        return result;
    }

    [GeneratedRegex(@"\$\{(?<braced>[A-Za-z0-9_.]+)(?::[a-z]+)?\}|\$(?<bare>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex Reference();
}
