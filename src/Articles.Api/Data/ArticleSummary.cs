namespace Articles.Api.Data;

/// <summary>One article as both API versions return it: the counts are what v1 computes per row.</summary>
public sealed record ArticleSummary(
    long Id,
    string Title,
    int AuthorId,
    string AuthorUsername,
    DateTime CreatedAt,
    long CommentCount,
    long LikeCount,
    long TagCount,
    long AuthorArticleCount,
    IReadOnlyList<string> Tags);
