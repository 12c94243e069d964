namespace Observability.Profiling.Implementation.Sql;

internal enum SqlTokenKind
{
    Word,
    QuotedName,
    Open,
    Close,
}

internal readonly record struct SqlToken(SqlTokenKind Kind, string Text);

/// <summary>
/// Splits SQL text into words (plain or dotted names, folded to lower case unless quoted), quoted names and
/// parentheses. Comments, string literals (<c>'…'</c>, <c>E'…'</c>, <c>$tag$…$tag$</c>), numbers, parameters and
/// operators are skipped: nothing from a literal ever becomes a token.
/// </summary>
internal ref struct SqlTokenizer(string sql)
{
    private readonly string _sql = sql;
    private int _position;

    /// <summary>Parenthesis depth after the last token.</summary>
    public int Depth { get; private set; }

    public SqlToken? Next()
    {
        while (_position < _sql.Length)
        {
            var c = _sql[_position];
            if (char.IsWhiteSpace(c)) { _position++; continue; }
            if (c == '-' && Peek(1) == '-') { SkipPast("\n", _position + 2); continue; }
            if (c == '/' && Peek(1) == '*') { SkipPast("*/", _position + 2); continue; }
            if (c == '\'') { SkipQuoted('\''); continue; }
            if (c == '$' && DollarTag() is { } tag) { SkipPast(tag, _position + tag.Length); continue; }
            if (c == '(') { _position++; Depth++; return new SqlToken(SqlTokenKind.Open, "("); }
            if (c == ')') { _position++; Depth = Math.Max(0, Depth - 1); return new SqlToken(SqlTokenKind.Close, ")"); }
            if (c == '"') return ReadName();
            if (char.IsAsciiLetter(c) || c == '_') return ReadName();
            _position++;
        }
        return null;
    }

    // A name, possibly dotted (schema.table), each part plain or quoted.
    private SqlToken ReadName()
    {
        var quoted = false;
        var parts = new List<string>(2);
        while (_position < _sql.Length)
        {
            if (_sql[_position] == '"')
            {
                var start = _position + 1;
                SkipQuoted('"');
                var end = Math.Max(start, _position - 1);
                parts.Add(_sql[start..end].Replace("\"\"", "\"", StringComparison.Ordinal));
                quoted = true;
            }
            else
            {
                var start = _position;
                while (_position < _sql.Length && (char.IsAsciiLetterOrDigit(_sql[_position]) || _sql[_position] is '_' or '$')) _position++;
                // E'…' and similar prefixes: the literal that follows is skipped by the caller.
                parts.Add(_sql[start.._position].ToLowerInvariant());
            }
            if (_position + 1 < _sql.Length && _sql[_position] == '.' && (_sql[_position + 1] == '"' || char.IsAsciiLetter(_sql[_position + 1]) || _sql[_position + 1] == '_'))
            {
                _position++;
                continue;
            }
            break;
        }
        return new SqlToken(quoted ? SqlTokenKind.QuotedName : SqlTokenKind.Word, string.Join('.', parts));
    }

    private void SkipQuoted(char quote)
    {
        _position++;
        while (_position < _sql.Length)
        {
            if (_sql[_position] == quote)
            {
                if (Peek(1) == quote) { _position += 2; continue; }
                _position++;
                return;
            }
            // Backslash escapes of E'…' strings: harmless to honour in every literal we skip.
            if (quote == '\'' && _sql[_position] == '\\') _position++;
            _position++;
        }
    }

    // $$ or $tag$ where tag is a name; $1 (a parameter) is not a tag.
    private string? DollarTag()
    {
        var end = _position + 1;
        while (end < _sql.Length && (char.IsAsciiLetterOrDigit(_sql[end]) || _sql[end] == '_')) end++;
        if (end >= _sql.Length || _sql[end] != '$') return null;
        if (end > _position + 1 && char.IsAsciiDigit(_sql[_position + 1])) return null;
        return _sql[_position..(end + 1)];
    }

    private void SkipPast(string terminator, int from)
    {
        var index = _sql.IndexOf(terminator, Math.Min(from, _sql.Length), StringComparison.Ordinal);
        _position = index < 0 ? _sql.Length : index + terminator.Length;
    }

    private readonly char Peek(int offset) => _position + offset < _sql.Length ? _sql[_position + offset] : '\0';
}
