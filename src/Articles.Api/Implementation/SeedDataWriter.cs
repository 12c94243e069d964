using Articles.Api.Configuration;
using Npgsql;
using NpgsqlTypes;

namespace Articles.Api.Implementation;

/// <summary>
/// Writes the demo data with binary COPY. One <see cref="Random"/> with a fixed seed drives every value in a fixed
/// order, so the same <see cref="SeedOptions"/> always produce the same rows. Authors and commented/liked articles
/// are skewed (a few popular ones), as real data is.
/// </summary>
internal sealed class SeedDataWriter(SeedOptions options)
{
    private static readonly string[] Words =
    [
        "dotnet", "postgres", "latency", "profile", "flame", "graph", "query", "index", "token", "cache",
        "thread", "pool", "span", "trace", "metric", "alert", "deploy", "budget", "queue", "socket",
    ];

    private static readonly DateTime Epoch = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly Random _random = new(options.RandomSeed);

    public async Task WriteAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var authorCounts = new int[options.Users + 1];
        var authors = new int[options.Articles + 1];
        for (var a = 1; a <= options.Articles; a++)
        {
            authors[a] = Skewed(options.Users);
            authorCounts[authors[a]]++;
        }

        await using (var users = await connection.BeginBinaryImportAsync(
            "COPY users (id, username, display_name, article_count, created_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var u = 1; u <= options.Users; u++)
            {
                await users.WriteRowAsync(ct, u, "user" + u, "User " + u, authorCounts[u], Epoch.AddMinutes(-u));
            }

            await users.CompleteAsync(ct);
        }

        await using (var tags = await connection.BeginBinaryImportAsync("COPY tags (id, name) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (var t = 1; t <= options.Tags; t++)
            {
                var name = t <= Words.Length ? Words[t - 1] : Words[(t - 1) % Words.Length] + "-" + ((t - 1) / Words.Length);
                await tags.WriteRowAsync(ct, t, name);
            }

            await tags.CompleteAsync(ct);
        }

        await WriteArticlesAsync(connection, authors, ct);
        await WriteCommentsAsync(connection, ct);
        await WriteLikesAsync(connection, ct);
    }

    private async Task WriteArticlesAsync(NpgsqlConnection connection, int[] authors, CancellationToken ct)
    {
        await using (var articles = await connection.BeginBinaryImportAsync(
            "COPY articles (id, author_id, title, body, created_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            for (long a = 1; a <= options.Articles; a++)
            {
                var title = $"Article {a}: {Word()} {Word()} and {Word()}";
                var body = string.Join(' ', Enumerable.Range(0, 30 + _random.Next(30)).Select(_ => Word()));
                await articles.WriteRowAsync(ct, a, authors[a], title, body, ArticleTime(a));
            }

            await articles.CompleteAsync(ct);
        }

        await using var links = await connection.BeginBinaryImportAsync(
            "COPY article_tags (article_id, tag_id) FROM STDIN (FORMAT BINARY)", ct);
        var chosen = new HashSet<int>();
        for (long a = 1; a <= options.Articles; a++)
        {
            chosen.Clear();
            var count = _random.Next(options.MaxTagsPerArticle + 1);
            while (chosen.Count < count)
            {
                chosen.Add(1 + _random.Next(options.Tags));
            }

            foreach (var tag in chosen.Order())
            {
                await links.WriteRowAsync(ct, a, tag);
            }
        }

        await links.CompleteAsync(ct);
    }

    private async Task WriteCommentsAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var comments = await connection.BeginBinaryImportAsync(
            "COPY comments (article_id, user_id, body, created_at) FROM STDIN (FORMAT BINARY)", ct);
        for (var i = 0; i < options.Comments; i++)
        {
            long article = Skewed(options.Articles);
            var body = $"Comment {i}: the {Word()} {Word()} looks {Word()} to me";
            await comments.WriteRowAsync(ct, article, 1 + _random.Next(options.Users), body, ArticleTime(article).AddMinutes(1 + _random.Next(600)));
        }

        await comments.CompleteAsync(ct);
    }

    private async Task WriteLikesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        await using var likes = await connection.BeginBinaryImportAsync(
            "COPY likes (article_id, user_id, created_at) FROM STDIN (FORMAT BINARY)", ct);
        for (var i = 0; i < options.Likes; i++)
        {
            long article = Skewed(options.Articles);
            await likes.WriteRowAsync(ct, article, 1 + _random.Next(options.Users), ArticleTime(article).AddMinutes(1 + _random.Next(600)));
        }

        await likes.CompleteAsync(ct);
    }

    // Articles are 7 minutes apart: article n is newer than article n-1, so the newest page holds the highest ids.
    private static DateTime ArticleTime(long article) => Epoch.AddMinutes(7 * article);

    private string Word() => Words[_random.Next(Words.Length)];

    /// <summary>A value in 1..n, biased towards low values (square of a uniform draw).</summary>
    private int Skewed(int n)
    {
        var u = _random.NextDouble();
        return 1 + Math.Min(n - 1, (int)(n * u * u));
    }
}
