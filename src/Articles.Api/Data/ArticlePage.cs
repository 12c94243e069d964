namespace Articles.Api.Data;

/// <summary>A page of the article list, newest first. A page beyond the end has no items.</summary>
public sealed record ArticlePage(int Page, int Size, long Total, IReadOnlyList<ArticleSummary> Items);
