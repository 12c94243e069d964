namespace Observability.Sql;

internal enum SqlTokenKind
{
    Word,
    QuotedName,
    Open,
    Close,

    /// <summary>A string literal: <c>'…'</c>, <c>E'…'</c>, <c>$tag$…$tag$</c> (its prefix, such as <c>E</c>, is a word).</summary>
    Literal,

    /// <summary>A string literal whose end depends on the dialect: a backslash in a plain <c>'…'</c> string.</summary>
    AmbiguousLiteral,

    /// <summary><c>-- …</c> to the end of the line, or <c>/* … */</c> (nested, as PostgreSQL reads them).</summary>
    Comment,
}

/// <summary>One token: its kind, where it is in the text, and for names their text (folded to lower case unless quoted).</summary>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Text, int Start, int End);

/// <summary>
/// The one SQL lexer, by PostgreSQL's rules: words (plain or dotted names, folded to lower case unless quoted), quoted
/// names, parentheses, string literals and comments. Numbers, parameters, operators and white space are the gaps
/// between tokens. Backslash escapes count only in <c>E'…'</c> strings (standard_conforming_strings, the default
/// since PostgreSQL 9.1); a backslash in a plain string is where dialects disagree (MySQL escapes with it), and such a
/// literal is returned as <see cref="SqlTokenKind.AmbiguousLiteral"/> so that a sanitiser can stay on the safe side.
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
            var start = _position;
            if (char.IsWhiteSpace(c)) { _position++; continue; }
            if (c == '-' && Peek(1) == '-') { SkipPast("\n", _position + 2); return Token(SqlTokenKind.Comment, start); }
            if (c == '/' && Peek(1) == '*') { SkipBlockComment(); return Token(SqlTokenKind.Comment, start); }
            if (c == '\'') return SkipString(start);
            if (c == '$' && DollarTag() is { } tag) { SkipPast(tag, _position + tag.Length); return Token(SqlTokenKind.Literal, start); }
            if (c == '(') { _position++; Depth++; return new SqlToken(SqlTokenKind.Open, "(", start, _position); }
            if (c == ')') { _position++; Depth = Math.Max(0, Depth - 1); return new SqlToken(SqlTokenKind.Close, ")", start, _position); }
            if (c == '"') return ReadName();
            if (char.IsAsciiLetter(c) || c == '_') return ReadName();
            if (char.IsAsciiDigit(c) || c == '$') { SkipWord(); continue; } // 12e3, $1: not names
            _position++;
        }
        return null;
    }

    private readonly SqlToken Token(SqlTokenKind kind, int start) => new(kind, "", start, _position);

    // A name, possibly dotted (schema.table), each part plain or quoted.
    private SqlToken ReadName()
    {
        var begin = _position;
        var quoted = false;
        var parts = new List<string>(2);
        while (_position < _sql.Length)
        {
            if (_sql[_position] == '"')
            {
                var start = _position + 1;
                SkipQuoted();
                var end = Math.Max(start, _position - 1);
                parts.Add(_sql[start..end].Replace("\"\"", "\"", StringComparison.Ordinal));
                quoted = true;
            }
            else
            {
                var start = _position;
                SkipWord();
                // E'…' and similar prefixes: the literal that follows is the next token.
                parts.Add(_sql[start.._position].ToLowerInvariant());
            }
            if (_position + 1 < _sql.Length && _sql[_position] == '.' && (_sql[_position + 1] == '"' || char.IsAsciiLetter(_sql[_position + 1]) || _sql[_position + 1] == '_'))
            {
                _position++;
                continue;
            }
            break;
        }
        return new SqlToken(quoted ? SqlTokenKind.QuotedName : SqlTokenKind.Word, string.Join('.', parts), begin, _position);
    }

    private void SkipWord()
    {
        while (_position < _sql.Length && IsWordChar(_sql[_position])) _position++;
    }

    private void SkipQuoted()
    {
        _position++;
        while (_position < _sql.Length)
        {
            if (_sql[_position] == '"')
            {
                if (Peek(1) == '"') { _position += 2; continue; }
                _position++;
                return;
            }
            _position++;
        }
    }

    // '…' with '' for a quote; in E'…' a backslash escapes the next character. An unterminated string runs to the end.
    private SqlToken SkipString(int start)
    {
        var escapes = start > 0 && _sql[start - 1] is 'E' or 'e' && (start == 1 || !IsWordChar(_sql[start - 2]));
        var backslash = false;
        _position++;
        while (_position < _sql.Length)
        {
            var c = _sql[_position];
            if (c == '\'')
            {
                if (Peek(1) == '\'') { _position += 2; continue; }
                _position++;
                break;
            }
            if (c == '\\')
            {
                backslash = true;
                if (escapes) _position++;
            }
            _position++;
        }
        _position = Math.Min(_position, _sql.Length);
        return Token(backslash && !escapes ? SqlTokenKind.AmbiguousLiteral : SqlTokenKind.Literal, start);
    }

    // PostgreSQL nests block comments; an unterminated one runs to the end.
    private void SkipBlockComment()
    {
        var depth = 0;
        while (_position < _sql.Length)
        {
            if (_sql[_position] == '/' && Peek(1) == '*') { depth++; _position += 2; continue; }
            if (_sql[_position] == '*' && Peek(1) == '/')
            {
                _position += 2;
                if (--depth == 0) return;
                continue;
            }
            _position++;
        }
    }

    // $$ or $tag$ where tag is a name; $1 (a parameter) is not a tag, nor is a '$' inside a name (a$b, seen as a word).
    private readonly string? DollarTag()
    {
        var end = _position + 1;
        if (end < _sql.Length && char.IsAsciiDigit(_sql[end])) return null;
        while (end < _sql.Length && (char.IsAsciiLetterOrDigit(_sql[end]) || _sql[end] == '_')) end++;
        if (end >= _sql.Length || _sql[end] != '$') return null;
        return _sql[_position..(end + 1)];
    }

    private void SkipPast(string terminator, int from)
    {
        var index = _sql.IndexOf(terminator, Math.Min(from, _sql.Length), StringComparison.Ordinal);
        _position = index < 0 ? _sql.Length : index + terminator.Length;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$';

    private readonly char Peek(int offset) => _position + offset < _sql.Length ? _sql[_position + offset] : '\0';
}
