using System.Net;
using System.Text.Json;
using Articles.Api.Tests.Infrastructure;

namespace Articles.Api.Tests;

/// <summary>v2 is an optimisation only: on the same data it answers byte for byte what v1 answers.</summary>
[Collection(ArticlesApiCollection.Name)]
public sealed class V1V2EquivalenceTests(ArticlesApiFixture fixture)
{
    [Theory]
    [InlineData(7)]
    [InlineData(20)]
    [InlineData(100)]
    public async Task Every_list_page_is_identical(int size)
    {
        var token = await fixture.TokenAsync();
        var seen = 0;
        var total = await fixture.ScalarAsync("SELECT count(*) FROM articles");
        for (var page = 1; page <= total / size + 2; page++)
        {
            var v1 = await GetAsync($"/v1/articles?page={page}&size={size}", token);
            var v2 = await GetAsync($"/v2/articles?page={page}&size={size}", token);
            Assert.Equal(v1, v2);
            using var json = JsonDocument.Parse(v1);
            Assert.Equal(total, json.RootElement.GetProperty("total").GetInt64());
            seen += json.RootElement.GetProperty("items").GetArrayLength();
        }

        Assert.Equal(total, seen);
    }

    [Fact]
    public async Task Every_article_by_id_is_identical_and_matches_the_database()
    {
        var token = await fixture.TokenAsync();
        var maxId = await fixture.ScalarAsync("SELECT max(id) FROM articles");
        var withComments = 0;
        for (var id = 1; id <= maxId; id++)
        {
            var v1 = await GetAsync($"/v1/articles/{id}", token);
            var v2 = await GetAsync($"/v2/articles/{id}", token);
            Assert.Equal(v1, v2);

            using var json = JsonDocument.Parse(v1);
            var article = json.RootElement;
            Assert.Equal(await fixture.ScalarAsync($"SELECT count(*) FROM comments WHERE article_id = {id}"), article.GetProperty("commentCount").GetInt64());
            Assert.Equal(await fixture.ScalarAsync($"SELECT count(*) FROM likes WHERE article_id = {id}"), article.GetProperty("likeCount").GetInt64());
            Assert.Equal(article.GetProperty("tags").GetArrayLength(), article.GetProperty("tagCount").GetInt64());
            withComments += article.GetProperty("commentCount").GetInt64() > 0 ? 1 : 0;
        }

        // The comparison means something only if the data has counts to get wrong.
        Assert.True(withComments > maxId / 2, $"only {withComments} of {maxId} articles have comments");
    }

    [Theory]
    [InlineData("/v1/articles/999999")]
    [InlineData("/v2/articles/999999")]
    [InlineData("/v1/articles/0")]
    [InlineData("/v2/articles/not-a-number")]
    public async Task Unknown_id_is_404_problem(string path)
    {
        using var response = await fixture.Client.SendAsync(ArticlesApiFixture.Get(path, await fixture.TokenAsync()));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<string> GetAsync(string path, string token)
    {
        using var response = await fixture.Client.SendAsync(ArticlesApiFixture.Get(path, token));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return body;
    }
}
