using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Stack.Tests.Implementation;

/// <summary>
/// String literals and label matchers in TraceQL queries and Pyroscope label selectors, read by the rules of the
/// backends that parse them:
/// Tempo 3.0.3 (pkg/traceql/lexer.go) scans strings with Go's text/scanner (double-quoted or backtick raw) and
/// unquotes them with strconv.Unquote; Pyroscope 2.2.1 (pkg/model/labels.go) parses selectors with Prometheus'
/// PromQL parser, whose strings are unquoted by the same Go rules. In a double-quoted Go string only
/// <c>\a \b \f \n \r \t \v \\ \"</c>, octal <c>\NNN</c>, <c>\xNN</c>, <c>\uNNNN</c> and <c>\UNNNNNNNN</c> are
/// escapes; anything else (<c>\.</c>, <c>\/</c>) is a syntax error. Regex matchers are anchored on both ends
/// (Prometheus' FastRegexMatcher, which Tempo also uses).
/// </summary>
internal static partial class QueryStringLiterals
{
    public sealed record Matcher(string Label, string Op, string Value)
    {
        public bool Matches(string? actual) => Op switch
        {
            "=" => actual == Value,
            "!=" => actual != Value,
            "=~" => actual is not null && Regex.IsMatch(actual, "^(?:" + Value + ")$", RegexOptions.None, TimeSpan.FromSeconds(1)),
            "!~" => actual is null || !Regex.IsMatch(actual, "^(?:" + Value + ")$", RegexOptions.None, TimeSpan.FromSeconds(1)),
            _ => throw new InvalidDataException(Op),
        };
    }

    /// <summary>Every string literal of <paramref name="query"/>, unquoted; throws where Go would refuse one.</summary>
    public static IReadOnlyList<string> Strings(string query) => Literal().Matches(query).Select(m => Unquote(m.Value)).ToList();

    /// <summary>Every <c>label op "value"</c> matcher (Pyroscope: <c>k6_testid=~"…"</c>; TraceQL: <c>span.k6.testid =~ "…"</c>).</summary>
    public static IReadOnlyList<Matcher> Matchers(string query) =>
        MatcherPattern().Matches(query).Select(m => new Matcher(m.Groups["label"].Value, m.Groups["op"].Value, Unquote(m.Groups["lit"].Value))).ToList();

    public static string Unquote(string literal)
    {
        if (literal.Length >= 2 && literal[0] == '`' && literal[^1] == '`')
        {
            return literal[1..^1];
        }

        if (literal.Length < 2 || literal[0] != '"' || literal[^1] != '"')
        {
            throw new FormatException($"not a string literal: {literal}");
        }

        var body = literal[1..^1];
        var sb = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c == '"' || c == '\n')
            {
                throw new FormatException($"{c} inside a double-quoted string: {literal}");
            }

            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }

            if (++i == body.Length)
            {
                throw new FormatException($"string ends in a backslash: {literal}");
            }

            var e = body[i];
            switch (e)
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': sb.Append('\\'); break;
                case '"': sb.Append('"'); break;
                case >= '0' and <= '7':
                    sb.Append((char)Digits(body, i, 3, 8, literal));
                    i += 2;
                    break;
                case 'x':
                    sb.Append((char)Digits(body, i + 1, 2, 16, literal));
                    i += 2;
                    break;
                case 'u':
                    sb.Append((char)Digits(body, i + 1, 4, 16, literal));
                    i += 4;
                    break;
                case 'U':
                    sb.Append(char.ConvertFromUtf32(Digits(body, i + 1, 8, 16, literal)));
                    i += 8;
                    break;
                default:
                    throw new FormatException($"unknown escape sequence \\{e} in {literal}");
            }
        }

        return sb.ToString();
    }

    private static int Digits(string body, int start, int count, int radix, string literal)
    {
        if (start + count > body.Length)
        {
            throw new FormatException($"short escape in {literal}");
        }

        var text = body.Substring(start, count);
        var style = radix == 16 ? NumberStyles.HexNumber : NumberStyles.None;
        if (radix == 8)
        {
            return text.All(c => c is >= '0' and <= '7') ? Convert.ToInt32(text, 8) : throw new FormatException($"bad octal escape in {literal}");
        }

        return int.TryParse(text, style, CultureInfo.InvariantCulture, out var value) ? value : throw new FormatException($"bad escape in {literal}");
    }

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""|`[^`]*`")]
    private static partial Regex Literal();

    [GeneratedRegex(@"(?<label>[A-Za-z_][A-Za-z0-9_.]*)\s*(?<op>=~|!~|!=|=)\s*(?<lit>""(?:[^""\\]|\\.)*""|`[^`]*`)")]
    private static partial Regex MatcherPattern();
}
