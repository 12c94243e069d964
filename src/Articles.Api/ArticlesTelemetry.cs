using System.Diagnostics;

namespace Articles.Api;

/// <summary>
/// The service's own spans. Repository calls get a span named after the method family (for example
/// <c>ArticleRepository.FindAll</c>) so that request-time flame graphs read
/// <c>GET /v1/articles;ArticleRepository.FindAll;postgresql SELECT articles</c>.
/// </summary>
public static class ArticlesTelemetry
{
    public const string ActivitySourceName = "Articles.Api";

    /// <summary>Span attribute that says which query shape ran: <c>v1</c> or <c>v2</c>.</summary>
    public const string QueryVersionAttribute = "articles.query_version";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);
}
