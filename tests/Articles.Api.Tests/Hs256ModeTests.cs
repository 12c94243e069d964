using System.Net;
using System.Text;
using Articles.Api.Tests.Infrastructure;

namespace Articles.Api.Tests;

/// <summary>The HS256 alternative: a second service instance on the same database, signing with a shared secret.</summary>
[Collection(ArticlesApiCollection.Name)]
public sealed class Hs256ModeTests(ArticlesApiFixture fixture) : OwnInstanceTests
{
    private const string Secret = "0123456789abcdef0123456789abcdef-hs256-test";

    protected override Task<Dictionary<string, string?>> SettingsAsync()
    {
        var settings = ArticlesApiFactory.SmallSeed(fixture.ConnectionString);
        settings["Articles:Jwt:Algorithm"] = "HS256";
        settings["Articles:Jwt:HmacSecret"] = Secret;
        return Task.FromResult(settings);
    }

    [Fact]
    public async Task Issued_token_is_HS256_and_accepted()
    {
        var token = await ArticlesApiFixture.TokenAsync(Client, "user2");
        var header = Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(token.Split('.')[0]));
        Assert.Contains("\"HS256\"", header, StringComparison.Ordinal);

        using var response = await Client.SendAsync(ArticlesApiFixture.Get("/v1/articles?size=2", token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static TheoryData<string, string> RefusedTokens => new()
    {
        { "RS256 token when HS256 is configured", TestTokens.Rs256(TestKeys.ServiceRsa) },
        { "HS256 with another secret", TestTokens.Hs256(Encoding.UTF8.GetBytes("another-secret-of-at-least-32-bytes!!")) },
        { "alg=none", TestTokens.AlgNone() },
    };

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Other_tokens_are_refused(string description, string token)
    {
        using var response = await Client.SendAsync(ArticlesApiFixture.Get("/v2/articles?size=2", token));
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{description}: {(int)response.StatusCode}");
    }
}
