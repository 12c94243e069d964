using System.Diagnostics;
using Observability.Sql;

namespace Observability.Profiling.Implementation.Spans;

/// <summary>
/// The frame text of a span in the request-time profile: DB client spans become
/// <c>postgresql SELECT articles</c>, HTTP client spans <c>HTTP GET host</c>, others their display name.
/// Only identifiers are used, never SQL parameter values or URLs with query strings.
/// </summary>
internal static class SpanFrameNames
{
    private const int MaxLength = 120;

    public static string For(Activity activity)
    {
        if (DbSpan.System(activity) is { } system) return Limit(DbSpan.Name(activity, system));

        if (activity.Kind == ActivityKind.Client)
        {
            var method = Tag(activity, "http.request.method") ?? Tag(activity, "http.method");
            if (method is not null)
            {
                var host = Tag(activity, "server.address") ?? Tag(activity, "net.peer.name");
                return Limit(host is null ? $"HTTP {method}" : $"HTTP {method} {host}");
            }
        }
        return Limit(string.IsNullOrEmpty(activity.DisplayName) ? activity.OperationName : activity.DisplayName);
    }

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name) switch
    {
        string s when s.Length > 0 => s,
        null => null,
        var other => other.ToString(),
    };

    private static string Limit(string text) => text.Length <= MaxLength ? text : text[..MaxLength];
}
