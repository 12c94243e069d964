using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Articles.Api.Tests.Infrastructure;

namespace Articles.Api.Tests;

/// <summary><c>POST /v1/articles</c>: several tables in one transaction, consistent under concurrent requests.</summary>
[Collection(ArticlesApiCollection.Name)]
public sealed class CreateArticleTests(ArticlesApiFixture fixture)
{
    [Fact]
    public async Task Concurrent_posts_keep_counters_and_tags_consistent()
    {
        const int requests = 48;
        string[] authors = ["user2", "user5", "user7", "user11"];
        var tokens = new Dictionary<string, string>();
        foreach (var author in authors)
        {
            tokens[author] = await fixture.TokenAsync(author);
        }

        var before = await fixture.ScalarAsync("SELECT count(*) FROM articles");
        // Every request shares one new tag and one of three others, so concurrent transactions race to create them.
        var responses = await Task.WhenAll(Enumerable.Range(0, requests).Select(i => PostAsync(
            tokens[authors[i % authors.Length]],
            new { title = $"Burst {i}", body = "written concurrently", tags = new[] { "burst", $"burst-{i % 3}" } })));

        foreach (var (status, body) in responses)
        {
            Assert.True(status == HttpStatusCode.Created, $"{(int)status} {body}");
        }

        Assert.Equal(before + requests, await fixture.ScalarAsync("SELECT count(*) FROM articles"));
        // The per-author counter written in each transaction equals the real number of articles of every user.
        Assert.Equal(0, await fixture.ScalarAsync(
            "SELECT count(*) FROM users u WHERE u.article_count <> (SELECT count(*) FROM articles a WHERE a.author_id = u.id)"));
        Assert.Equal(1, await fixture.ScalarAsync("SELECT count(*) FROM tags WHERE name = 'burst'"));
        Assert.Equal(3, await fixture.ScalarAsync("SELECT count(*) FROM tags WHERE name LIKE 'burst-%'"));
        Assert.Equal(requests, await fixture.ScalarAsync(
            "SELECT count(*) FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE t.name = 'burst'"));
        Assert.Equal(0, await fixture.ScalarAsync(
            "SELECT count(*) FROM articles a WHERE a.title LIKE 'Burst %' AND (SELECT count(*) FROM article_tags x WHERE x.article_id = a.id) <> 2"));

        // The created article reads back the same through both versions, with the author's real count.
        using var created = JsonDocument.Parse(responses[0].Body);
        var id = created.RootElement.GetProperty("id").GetInt64();
        var authorId = created.RootElement.GetProperty("authorId").GetInt32();
        Assert.Equal(2, authorId);
        var v1 = await GetAsync($"/v1/articles/{id}", tokens["user2"]);
        Assert.Equal(v1, await GetAsync($"/v2/articles/{id}", tokens["user2"]));
        using var read = JsonDocument.Parse(v1);
        Assert.Equal(await fixture.ScalarAsync("SELECT count(*) FROM articles WHERE author_id = 2"), read.RootElement.GetProperty("authorArticleCount").GetInt64());
        Assert.Equal(["burst", "burst-0"], read.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray());
    }

    [Theory]
    [InlineData("""{"title":"","body":"x"}""", "title")]
    [InlineData("""{"body":"no title"}""", "title")]
    [InlineData("""{"title":"ok","tags":["Not Valid"]}""", "tags")]
    [InlineData("""{"title":"ok","tags":["a","b","c","d","e","f","g","h","i","j","k"]}""", "tags")]
    public async Task Invalid_article_is_400_problem_and_writes_nothing(string json, string field)
    {
        var before = await fixture.ScalarAsync("SELECT count(*) FROM articles");
        var (status, body) = await PostRawAsync(await fixture.TokenAsync(), json);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        using var problem = JsonDocument.Parse(body);
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty(field, out _), body);
        Assert.Equal(before, await fixture.ScalarAsync("SELECT count(*) FROM articles"));
    }

    [Fact]
    public async Task Malformed_json_is_400_and_missing_token_is_401()
    {
        var (status, _) = await PostRawAsync(await fixture.TokenAsync(), """{"title": """);
        Assert.Equal(HttpStatusCode.BadRequest, status);

        (status, _) = await PostRawAsync(null, """{"title":"x"}""");
        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    private Task<(HttpStatusCode Status, string Body)> PostAsync(string token, object article) =>
        PostRawAsync(token, JsonSerializer.Serialize(article));

    private async Task<(HttpStatusCode Status, string Body)> PostRawAsync(string? token, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/articles")
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await fixture.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<string> GetAsync(string path, string token)
    {
        using var response = await fixture.Client.SendAsync(ArticlesApiFixture.Get(path, token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
