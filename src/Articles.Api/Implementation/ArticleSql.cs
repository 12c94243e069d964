namespace Articles.Api.Implementation;

/// <summary>
/// The queries of both API versions. Both return the same columns in the same order (see ReadSummary).
/// v1 is the slow shape: correlated COUNT subqueries per row over tables without an index on article_id or
/// author_id, evaluated for every row the OFFSET skips as well. v2 reads counts maintained on every write
/// (article_stats, users.article_count).
/// </summary>
internal static class ArticleSql
{
    public const string CountArticles = "SELECT count(*) FROM articles";

    // Both versions page in one order and find by one key, so that they answer alike (V1V2EquivalenceTests).
    private const string Page = """

        ORDER BY a.created_at DESC, a.id DESC
        LIMIT @size OFFSET @offset
        """;

    private const string ById = """

        WHERE a.id = @id
        """;

    private const string V1Select = """
        SELECT a.id, a.title, a.author_id, u.username, a.created_at,
               (SELECT count(*) FROM comments c WHERE c.article_id = a.id) AS comment_count,
               (SELECT count(*) FROM likes l WHERE l.article_id = a.id) AS like_count,
               (SELECT count(*) FROM article_tags t WHERE t.article_id = a.id) AS tag_count,
               (SELECT count(*) FROM articles a2 WHERE a2.author_id = a.author_id) AS author_article_count,
               ARRAY(SELECT tg.name FROM article_tags x JOIN tags tg ON tg.id = x.tag_id
                     WHERE x.article_id = a.id ORDER BY tg.name) AS tags
        FROM articles a
        JOIN users u ON u.id = a.author_id
        """;

    public const string FindAllV1 = V1Select + Page;

    public const string FindByIdV1 = V1Select + ById;

    // v2 pages through the listing index and joins one row of maintained counts per article: no scan of comments,
    // likes or article_tags. users.article_count is kept by every write as well.
    private const string V2Select = """
        SELECT a.id, a.title, a.author_id, u.username, a.created_at,
               s.comment_count, s.like_count, s.tag_count, u.article_count::bigint AS author_article_count, s.tags
        FROM articles a
        JOIN users u ON u.id = a.author_id
        JOIN article_stats s ON s.article_id = a.id
        """;

    public const string FindAllV2 = V2Select + Page;

    public const string FindByIdV2 = V2Select + ById;

    // Writes of POST /v1/articles, in a fixed lock order (author row, then tags sorted by name) so that
    // concurrent requests cannot deadlock.
    public const string BumpAuthorCounter =
        "UPDATE users SET article_count = article_count + 1 WHERE id = @author RETURNING id";

    public const string InsertArticle = """
        INSERT INTO articles (author_id, title, body, created_at) VALUES (@author, @title, @body, now())
        RETURNING id
        """;

    public const string UpsertTags =
        "INSERT INTO tags (name) SELECT unnest(@names::text[]) ON CONFLICT (name) DO NOTHING";

    public const string LinkTags = """
        INSERT INTO article_tags (article_id, tag_id) SELECT @article, id FROM tags WHERE name = ANY(@names)
        """;

    // Tag names sorted by the database's collation, as v1's ARRAY(... ORDER BY tg.name) sorts them.
    public const string InsertArticleStats = """
        INSERT INTO article_stats (article_id, comment_count, like_count, tag_count, tags)
        SELECT @article, 0, 0, cardinality(@names::text[]), coalesce((SELECT array_agg(n ORDER BY n) FROM unnest(@names::text[]) AS n), '{}')
        """;

    public const string FindUserByName = "SELECT id, username FROM users WHERE username = @username";
}
