using Microsoft.AspNetCore.Http;

namespace Observability.Hosting.Implementation;

/// <summary>Paths that are neither traced nor measured: probes, scrapes and diagnostics would drown the real traffic.</summary>
internal static class PathFilter
{
    private static readonly PathString[] Excluded =
    [
        new("/health"), new("/healthz"), new("/alive"), new("/ready"), new("/livez"), new("/readyz"),
        new("/metrics"), new("/debug/pprof"),
    ];

    public static bool IsExcluded(PathString path)
    {
        foreach (var prefix in Excluded)
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
