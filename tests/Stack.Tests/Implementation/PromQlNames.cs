using System.Text.RegularExpressions;

namespace Stack.Tests.Implementation;

/// <summary>The metric names a PromQL expression reads (a lexical approximation good enough for our files).</summary>
internal static partial class PromQlNames
{
    private static readonly HashSet<string> Keywords =
        ["by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "offset", "bool", "le", "inf", "nan"];

    public static IReadOnlySet<string> MetricNames(string expr)
    {
        var text = Strings().Replace(expr, "\"\"");
        text = Braces().Replace(text, "{}");
        text = Brackets().Replace(text, "[]");
        text = Grouping().Replace(text, " ");
        return Identifiers().Matches(text)
            .Where(m => !IsFunctionCall(text, m))
            .Select(m => m.Value)
            .Where(v => !Keywords.Contains(v.ToLowerInvariant()))
            .ToHashSet();
    }

    /// <summary>The base name of a histogram or summary series (<c>x_bucket</c> is <c>x</c>).</summary>
    public static string BaseName(string metric) => HistogramSuffix().Replace(metric, "");

    private static bool IsFunctionCall(string text, Match m)
    {
        var next = m.Index + m.Length;
        while (next < text.Length && text[next] == ' ')
        {
            next++;
        }

        return next < text.Length && text[next] == '(';
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Grouping();

    [GeneratedRegex(@"(?<![0-9.])\b[a-zA-Z_:][a-zA-Z0-9_:]*")]
    private static partial Regex Identifiers();

    [GeneratedRegex("_(bucket|count|sum)$")]
    private static partial Regex HistogramSuffix();
}
