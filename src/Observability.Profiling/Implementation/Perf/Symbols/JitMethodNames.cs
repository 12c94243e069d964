using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// Turns the runtime's method text in its jitdump (and perf map), such as
/// <c>instance void [Module] Namespace.Outer+Inner`1[System.Int32]::Method(int32)[QuickJitted]</c>, into the kit's frame
/// text <c>Namespace.Outer+Inner`1[System.Int32].Method</c>: no return type, module, parameter list or tier. Stub records
/// (<c>stub Kind&lt;Owner&gt;</c>, <c>stub&lt;12&gt; Kind&lt;Owner&gt;</c>) become <c>[stub: Kind&lt;Owner&gt;]</c>.
/// </summary>
internal static class JitMethodNames
{
    /// <summary>Longest text kept of a name that cannot be parsed (and of a stub's or method's own name).</summary>
    public const int MaxUnparsed = 300;

    // Type names of deep generic instantiations can run to kilobytes; the method name after them must survive.
    private const int MaxType = 700;

    /// <summary>The frame text of <paramref name="runtimeName"/>; never throws.</summary>
    public static string Clean(string? runtimeName)
    {
        var text = (runtimeName ?? "").AsSpan().Trim();
        if (text.IsEmpty) return FrameNames.Unknown;
        if (text.StartsWith("stub ", StringComparison.Ordinal) || text.StartsWith("stub<", StringComparison.Ordinal))
        {
            return Stub(text);
        }
        var colons = TopLevelColons(text);
        if (colons < 0) return Bounded(text);
        var typeStart = TypeStart(text, colons);
        if (typeStart < 0) return Bounded(text);
        var type = text[typeStart..colons];
        var method = text[(colons + 2)..];
        var parameters = method.IndexOf('(');
        // Without a parameter list only the tier suffix (the runtime's "[QuickJitted]") may follow the name.
        method = parameters >= 0 ? method[..parameters] : WithoutTier(method);
        method = method.Trim();
        if (type.IsEmpty || method.IsEmpty) return Bounded(text);
        return string.Concat(type.Length > MaxType ? string.Concat(type[..MaxType], "..") : type, ".", Bounded(method));
    }

    /// <summary>The stub's kind and owner, without the number the runtime gives each stub when it reports them one by one.</summary>
    private static string Stub(ReadOnlySpan<char> text)
    {
        var rest = text[4..];
        if (rest[0] == '<')
        {
            var close = rest.IndexOf('>');
            rest = close < 0 ? ReadOnlySpan<char>.Empty : rest[(close + 1)..];
        }
        rest = rest.Trim();
        return rest.IsEmpty ? "[stub]" : string.Concat("[stub: ", Bounded(rest), "]");
    }

    /// <summary>The first <c>::</c> outside brackets and parentheses: return types and parameters never hold one.</summary>
    private static int TopLevelColons(ReadOnlySpan<char> text)
    {
        var depth = 0;
        for (var i = 0; i < text.Length - 1; i++)
        {
            switch (text[i])
            {
                case '[' or '(':
                    depth++;
                    break;
                case ']' or ')':
                    depth--;
                    break;
                case ':' when depth == 0 && text[i + 1] == ':':
                    return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// Where the declaring type starts: after the last space outside brackets before <c>::</c>, the one that follows the
    /// module (<c>[Module] </c>). Generic arguments in the type (<c>`1[System.Int32]</c>) hold no space. -1 when unbalanced.
    /// </summary>
    private static int TypeStart(ReadOnlySpan<char> text, int colons)
    {
        var depth = 0;
        for (var i = colons - 1; i >= 0; i--)
        {
            var c = text[i];
            if (c == ']') depth++;
            else if (c == '[' && --depth < 0) return -1;
            else if (c == ' ' && depth == 0) return i + 1;
        }
        return depth == 0 ? 0 : -1;
    }

    private static ReadOnlySpan<char> WithoutTier(ReadOnlySpan<char> method)
    {
        var open = method.LastIndexOf('[');
        return open > 0 && method[^1] == ']' ? method[..open] : method;
    }

    private static string Bounded(ReadOnlySpan<char> text) =>
        text.Length <= MaxUnparsed ? text.ToString() : string.Concat(text[..(MaxUnparsed - 2)], "..");
}
