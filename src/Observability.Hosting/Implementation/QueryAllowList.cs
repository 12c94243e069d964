using System.Collections.Frozen;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The query keys whose values may leave the process (<see cref="RedactionOptions.QueryAllowList"/>): compared
/// after percent-decoding, ordinal, so <c>q</c> does not allow <c>Q</c>. Empty by default: every value redacted.
/// </summary>
internal sealed class QueryAllowList
{
    private readonly FrozenSet<string> _keys;

    public QueryAllowList(IEnumerable<string> keys) => _keys = keys.ToFrozenSet(StringComparer.Ordinal);

    public static QueryAllowList None { get; } = new([]);

    public bool Allows(string key) => _keys.Count > 0 && _keys.Contains(key);
}
