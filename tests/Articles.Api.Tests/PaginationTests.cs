using System.Net;
using System.Text.Json;
using Articles.Api.Tests.Infrastructure;

namespace Articles.Api.Tests;

/// <summary>Page and size edges of both list endpoints.</summary>
[Collection(ArticlesApiCollection.Name)]
public sealed class PaginationTests(ArticlesApiFixture fixture)
{
    [Theory]
    [InlineData("page=0&size=20", "page")]
    [InlineData("page=-1&size=20", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("page=1.5", "page")]
    [InlineData("page=99999999999", "page")]
    [InlineData("size=0", "size")]
    [InlineData("size=-5", "size")]
    [InlineData("size=101", "size")]
    [InlineData("size=", "size")]
    [InlineData("page=0&size=0", "page,size")]
    public async Task Bad_page_or_size_is_400_problem_naming_the_parameter(string query, string fields)
    {
        foreach (var version in new[] { "v1", "v2" })
        {
            using var response = await fixture.Client.SendAsync(ArticlesApiFixture.Get($"/{version}/articles?{query}", await fixture.TokenAsync()));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var errors = json.RootElement.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray();
            Assert.Equal(fields.Split(','), errors);
        }
    }

    [Theory]
    [InlineData("", 1, 20)]
    [InlineData("size=1", 1, 1)]
    [InlineData("size=100", 1, 100)]
    [InlineData("page=2&size=30", 2, 30)]
    public async Task Valid_pages_hold_at_most_size_items_newest_first(string query, int page, int size)
    {
        var total = await fixture.ScalarAsync("SELECT count(*) FROM articles");
        foreach (var version in new[] { "v1", "v2" })
        {
            using var json = await GetJsonAsync($"/{version}/articles?{query}");
            var root = json.RootElement;
            Assert.Equal(page, root.GetProperty("page").GetInt32());
            Assert.Equal(size, root.GetProperty("size").GetInt32());
            var items = root.GetProperty("items").EnumerateArray().ToArray();
            Assert.Equal(Math.Clamp(total - (long)(page - 1) * size, 0, size), items.Length);
            var dates = items.Select(i => i.GetProperty("createdAt").GetDateTime()).ToArray();
            Assert.Equal(dates.OrderDescending(), dates);
        }
    }

    [Theory]
    [InlineData(1000, 50)]
    [InlineData(2147483647, 100)]
    public async Task Page_beyond_the_end_is_empty_with_the_total(int page, int size)
    {
        var total = await fixture.ScalarAsync("SELECT count(*) FROM articles");
        foreach (var version in new[] { "v1", "v2" })
        {
            using var json = await GetJsonAsync($"/{version}/articles?page={page}&size={size}");
            Assert.Equal(0, json.RootElement.GetProperty("items").GetArrayLength());
            Assert.Equal(total, json.RootElement.GetProperty("total").GetInt64());
        }
    }

    [Fact]
    public async Task Last_page_is_partial()
    {
        var total = await fixture.ScalarAsync("SELECT count(*) FROM articles");
        const int size = 8;
        var last = (int)((total + size - 1) / size);
        using var json = await GetJsonAsync($"/v1/articles?page={last}&size={size}");
        Assert.Equal(total - (long)(last - 1) * size, json.RootElement.GetProperty("items").GetArrayLength());
    }

    private async Task<JsonDocument> GetJsonAsync(string path)
    {
        using var response = await fixture.Client.SendAsync(ArticlesApiFixture.Get(path, await fixture.TokenAsync()));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body);
    }
}
