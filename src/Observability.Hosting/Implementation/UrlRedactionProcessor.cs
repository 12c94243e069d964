using System.Diagnostics;
using OpenTelemetry;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The last word on URL attributes of every span, whoever wrote them: the ASP.NET Core and HttpClient
/// instrumentations (whose own redaction a user can turn off with
/// <c>OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION</c> or
/// <c>OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION</c>), the hosting activity itself, or
/// application code. Runs before export; the rewrite is idempotent, so the enrichers' output passes unchanged.
/// </summary>
internal sealed class UrlRedactionProcessor(QueryAllowList allowList) : BaseProcessor<Activity>
{
    private static readonly string[] UrlKeys = ["url.full", "http.url", "http.target"];

    public override void OnEnd(Activity data)
    {
        if (!data.Recorded) return;
        if (data.GetTagItem("url.query") is string query && query.Length > 0)
            Replace(data, "url.query", query, Redaction.RedactQuery(query, allowList));
        foreach (var key in UrlKeys)
        {
            if (data.GetTagItem(key) is string url && url.Length > 0)
                Replace(data, key, url, Redaction.RedactUrlText(url, allowList));
        }
    }

    private static void Replace(Activity activity, string key, string current, string redacted)
    {
        if (!string.Equals(current, redacted, StringComparison.Ordinal)) activity.SetTag(key, redacted);
    }
}
