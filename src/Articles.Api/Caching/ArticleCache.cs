using System.Diagnostics;
using System.Globalization;
using Articles.Api.Configuration;
using Articles.Api.Data;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Options;

namespace Articles.Api.Caching;

/// <summary>
/// v2's answers through <see cref="HybridCache"/> (in process, plus Redis when configured): one entry per page and
/// per article, all tagged so that a write drops them together. The current span says whether it was a hit.
/// </summary>
public sealed class ArticleCache(HybridCache cache, CacheMetrics metrics, IOptions<ArticlesOptions> options)
{
    /// <summary>Span attribute: <c>hit</c> or <c>miss</c> (absent when the cache is off).</summary>
    public const string ResultAttribute = "articles.cache";

    private const string Tag = "articles";
    private static readonly string[] Tags = [Tag];

    private bool Enabled => options.Value.Cache.Enabled;

    // IOptions<> is bound once at startup: one entry-options object serves every request.
    private readonly HybridCacheEntryOptions _entryOptions = new()
    {
        Expiration = TimeSpan.FromSeconds(options.Value.Cache.ExpirationSeconds),
        LocalCacheExpiration = TimeSpan.FromSeconds(options.Value.Cache.ExpirationSeconds),
    };

    public ValueTask<ArticlePage> Page(PageRequest page, Func<CancellationToken, Task<ArticlePage>> load, CancellationToken ct) =>
        Get(string.Create(CultureInfo.InvariantCulture, $"v2:articles:{page.Page}:{page.Size}"), load, ct);

    public ValueTask<ArticleSummary?> Article(long id, Func<CancellationToken, Task<ArticleSummary?>> load, CancellationToken ct) =>
        Get(string.Create(CultureInfo.InvariantCulture, $"v2:article:{id}"), load, ct);

    /// <summary>Drops every cached answer: a new article moves pages and changes its author's counts.</summary>
    public async ValueTask InvalidateAsync(CancellationToken ct)
    {
        if (Enabled) await cache.RemoveByTagAsync(Tag, ct);
    }

    private async ValueTask<T> Get<T>(string key, Func<CancellationToken, Task<T>> load, CancellationToken ct)
    {
        if (!Enabled) return await load(ct);
        var missed = false;
        var caller = Activity.Current;
        var value = await cache.GetOrCreateAsync(
            key,
            async token =>
            {
                missed = true;
                // HybridCache runs the load outside the caller's context (one load serves every concurrent caller):
                // parent it to the request that asked first, so its repository and DB spans stay in that trace.
                Activity.Current = caller;
                return await load(token);
            },
            _entryOptions, Tags, ct);
        (missed ? metrics.Misses : metrics.Hits).Inc();
        Activity.Current?.SetTag(ResultAttribute, missed ? "miss" : "hit");
        return value;
    }
}
