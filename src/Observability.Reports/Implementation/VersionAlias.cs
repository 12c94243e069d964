using System.Text.RegularExpressions;

namespace Observability.Reports.Implementation;

/// <summary>
/// Lines up a v1 run with a v2 run of the same API: when two runs share no route, route segments like <c>/v1/</c> and
/// <c>/v2/</c> are read as one (<c>/v*/</c>) so endpoints, frames and spans named after routes can be compared.
/// </summary>
internal static partial class VersionAlias
{
    public static string Normalise(string name) => VersionSegment().Replace(name, "/v*");

    /// <summary>True when the runs have no endpoint in common as named, but some once versions are read as one.</summary>
    public static bool Needed(IEnumerable<string> keysA, IEnumerable<string> keysB)
    {
        var a = keysA.ToHashSet(StringComparer.Ordinal);
        var b = keysB.ToList();
        return a.Count > 0 && !b.Any(a.Contains)
               && b.Select(Normalise).Intersect(a.Select(Normalise), StringComparer.Ordinal).Any();
    }

    [GeneratedRegex(@"/v\d+(?=/|$|\s|\u001f)")]
    private static partial Regex VersionSegment();
}
