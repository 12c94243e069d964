using System.Globalization;
using System.Security.Claims;
using System.Text.RegularExpressions;
using Articles.Api.Caching;
using Articles.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Articles.Api.Endpoints;

/// <summary>
/// <c>/v1/articles</c> (the slow query shape) and <c>/v2/articles</c> (the same answers, optimised).
/// Every route needs a valid bearer token.
/// </summary>
public static partial class ArticleEndpoints
{
    private const int MaxTitleLength = 200;
    private const int MaxBodyLength = 20_000;
    private const int MaxTags = 10;

    public static IEndpointRouteBuilder MapArticleEndpoints(this IEndpointRouteBuilder app)
    {
        // Groups end at the version so that route templates (span names, metric labels) carry no trailing slash.
        var v1 = app.MapGroup("/v1").RequireAuthorization();
        v1.MapGet("/articles", ListV1);
        v1.MapGet("/articles/{id:long}", GetV1);
        v1.MapPost("/articles", CreateV1);

        var v2 = app.MapGroup("/v2").RequireAuthorization();
        v2.MapGet("/articles", ListV2);
        v2.MapGet("/articles/{id:long}", GetV2);
        return app;
    }

    private static async Task<Results<Ok<ArticlePage>, ValidationProblem>> ListV1(
        string? page, string? size, ArticleRepository repository, CancellationToken ct) =>
        PageRequest.TryParse(page, size, out var request, out var errors)
            ? TypedResults.Ok(await repository.FindAllV1(request, ct))
            : TypedResults.ValidationProblem(errors);

    private static async Task<Results<Ok<ArticlePage>, ValidationProblem>> ListV2(
        string? page, string? size, ArticleRepository repository, ArticleCache cache, CancellationToken ct) =>
        PageRequest.TryParse(page, size, out var request, out var errors)
            ? TypedResults.Ok(await cache.Page(request, token => repository.FindAllV2(request, token), ct))
            : TypedResults.ValidationProblem(errors);

    private static async Task<Results<Ok<ArticleSummary>, NotFound>> GetV1(long id, ArticleRepository repository, CancellationToken ct) =>
        await repository.FindByIdV1(id, ct) is { } article ? TypedResults.Ok(article) : TypedResults.NotFound();

    private static async Task<Results<Ok<ArticleSummary>, NotFound>> GetV2(
        long id, ArticleRepository repository, ArticleCache cache, CancellationToken ct) =>
        await cache.Article(id, token => repository.FindByIdV2(id, token), ct) is { } article
            ? TypedResults.Ok(article)
            : TypedResults.NotFound();

    private static async Task<Results<Created<ArticleSummary>, ValidationProblem, ForbidHttpResult>> CreateV1(
        NewArticle article, ClaimsPrincipal user, ArticleRepository repository, ArticleCache cache, CancellationToken ct)
    {
        var errors = Validate(article);
        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (!int.TryParse(user.FindFirstValue("sub"), NumberStyles.None, CultureInfo.InvariantCulture, out var authorId))
        {
            return TypedResults.Forbid();
        }

        var id = await repository.Create(authorId, article.Title!, article.Body ?? "", article.Tags ?? [], ct);
        if (id is null)
        {
            return TypedResults.Forbid();
        }

        // Committed: no cached page or article may be served from before this write.
        await cache.InvalidateAsync(ct);
        var created = await repository.FindByIdV2(id.Value, ct);
        return TypedResults.Created($"/v1/articles/{id}", created);
    }

    private static Dictionary<string, string[]> Validate(NewArticle article)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(article.Title) || article.Title.Length > MaxTitleLength)
        {
            errors["title"] = [$"title is required, at most {MaxTitleLength} characters."];
        }

        if (article.Body is { Length: > MaxBodyLength })
        {
            errors["body"] = [$"body must be at most {MaxBodyLength} characters."];
        }

        if (article.Tags is { } tags && (tags.Count > MaxTags || tags.Any(t => t is null || !TagPattern().IsMatch(t))))
        {
            errors["tags"] = [$"at most {MaxTags} tags of 1 to 40 characters: lower-case letters, digits and '-'."];
        }

        return errors;
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,39}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
