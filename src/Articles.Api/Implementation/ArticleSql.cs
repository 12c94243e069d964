namespace Articles.Api.Implementation;

/// <summary>
/// The queries of both API versions. Both return the same columns in the same order (see ReadSummary).
/// v1 is the slow shape: correlated COUNT subqueries per row over tables without an index on article_id or
/// author_id, evaluated for every row the OFFSET skips as well. v2 picks the page first and joins counts
/// aggregated once per table for just those ids.
/// </summary>
internal static class ArticleSql
{
    public const string CountArticles = "SELECT count(*) FROM articles";

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

    public const string FindAllV1 = V1Select + """

        ORDER BY a.created_at DESC, a.id DESC
        LIMIT @size OFFSET @offset
        """;

    public const string FindByIdV1 = V1Select + """

        WHERE a.id = @id
        """;

    private const string V2Aggregates = """
        comment_counts AS (
            SELECT c.article_id, count(*) AS n FROM comments c
            WHERE c.article_id IN (SELECT id FROM page) GROUP BY c.article_id),
        like_counts AS (
            SELECT l.article_id, count(*) AS n FROM likes l
            WHERE l.article_id IN (SELECT id FROM page) GROUP BY l.article_id),
        page_tags AS (
            SELECT x.article_id, count(*) AS n, array_agg(tg.name ORDER BY tg.name) AS names
            FROM article_tags x JOIN tags tg ON tg.id = x.tag_id
            WHERE x.article_id IN (SELECT id FROM page) GROUP BY x.article_id),
        author_counts AS (
            SELECT a.author_id, count(*) AS n FROM articles a
            WHERE a.author_id IN (SELECT author_id FROM page) GROUP BY a.author_id)
        SELECT p.id, p.title, p.author_id, u.username, p.created_at,
               coalesce(cc.n, 0) AS comment_count, coalesce(lc.n, 0) AS like_count, coalesce(pt.n, 0) AS tag_count,
               coalesce(ac.n, 0) AS author_article_count, coalesce(pt.names, '{}') AS tags
        FROM page p
        JOIN users u ON u.id = p.author_id
        LEFT JOIN comment_counts cc ON cc.article_id = p.id
        LEFT JOIN like_counts lc ON lc.article_id = p.id
        LEFT JOIN page_tags pt ON pt.article_id = p.id
        LEFT JOIN author_counts ac ON ac.author_id = p.author_id
        ORDER BY p.created_at DESC, p.id DESC
        """;

    public const string FindAllV2 = """
        WITH page AS (
            SELECT a.id, a.title, a.author_id, a.created_at FROM articles a
            ORDER BY a.created_at DESC, a.id DESC
            LIMIT @size OFFSET @offset),
        """ + "\n" + V2Aggregates;

    public const string FindByIdV2 = """
        WITH page AS (
            SELECT a.id, a.title, a.author_id, a.created_at FROM articles a WHERE a.id = @id),
        """ + "\n" + V2Aggregates;

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

    public const string FindUserByName = "SELECT id, username FROM users WHERE username = @username";
}
