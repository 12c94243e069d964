namespace Articles.Api.Data;

/// <summary>Body of <c>POST /v1/articles</c>.</summary>
public sealed record NewArticle(string? Title, string? Body, IReadOnlyList<string>? Tags);
