using System.Net;
using System.Net.Http.Json;
using System.Text;
using Articles.Api.Tests.Infrastructure;

namespace Articles.Api.Tests;

/// <summary>Bearer-token validation of the article endpoints with the default RS256 configuration.</summary>
[Collection(ArticlesApiCollection.Name)]
public sealed class AuthTests(ArticlesApiFixture fixture)
{
    public enum TokenCase
    {
        Valid,
        NoToken,
        Expired,
        WrongKey,
        AlgNone,
        Hs256SignedWithPublicKey,
        WrongIssuer,
        WrongAudience,
        Malformed,
        TamperedPayload,
    }

    [Theory]
    [InlineData(TokenCase.Valid, HttpStatusCode.OK)]
    [InlineData(TokenCase.NoToken, HttpStatusCode.Unauthorized)]
    [InlineData(TokenCase.Expired, HttpStatusCode.Unauthorized)]
    [InlineData(TokenCase.WrongKey, HttpStatusCode.Unauthorized)]
    [InlineData(TokenCase.AlgNone, HttpStatusCode.Unauthorized)]
    [InlineData(TokenCase.Hs256SignedWithPublicKey, HttpStatusCode.Unauthorized)]
    [InlineData(TokenCase.WrongIssuer, HttpStatusCode.Unauthorized)]
    [InlineData(TokenCase.WrongAudience, HttpStatusCode.Unauthorized)]
    [InlineData(TokenCase.Malformed, HttpStatusCode.Unauthorized)]
    [InlineData(TokenCase.TamperedPayload, HttpStatusCode.Unauthorized)]
    public async Task Article_endpoints_accept_only_valid_tokens(TokenCase tokenCase, HttpStatusCode expected)
    {
        var token = tokenCase switch
        {
            TokenCase.Valid => TestTokens.Rs256(TestKeys.ServiceRsa),
            TokenCase.NoToken => null,
            TokenCase.Expired => TestTokens.Rs256(TestKeys.ServiceRsa, expires: DateTime.UtcNow.AddMinutes(-10)),
            TokenCase.WrongKey => TestTokens.Rs256(TestKeys.OtherRsa),
            TokenCase.AlgNone => TestTokens.AlgNone(),
            // The classic key-confusion attack: the RSA public key used as an HMAC secret.
            TokenCase.Hs256SignedWithPublicKey => TestTokens.Hs256(Encoding.UTF8.GetBytes(TestKeys.ServicePublicKeyPem)),
            TokenCase.WrongIssuer => TestTokens.Rs256(TestKeys.ServiceRsa, issuer: "someone-else"),
            TokenCase.WrongAudience => TestTokens.Rs256(TestKeys.ServiceRsa, audience: "another-api"),
            TokenCase.Malformed => "not-a-jwt",
            TokenCase.TamperedPayload => Tamper(TestTokens.Rs256(TestKeys.ServiceRsa, userId: 2)),
            _ => throw new ArgumentOutOfRangeException(nameof(tokenCase)),
        };

        foreach (var path in new[] { "/v1/articles?size=1", "/v2/articles?size=1", "/v2/articles/1" })
        {
            using var response = await fixture.Client.SendAsync(ArticlesApiFixture.Get(path, token));
            Assert.Equal(expected, response.StatusCode);
            if (expected == HttpStatusCode.Unauthorized)
            {
                Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            }
        }
    }

    [Fact]
    public async Task Token_endpoint_issues_an_RS256_token_that_the_endpoints_accept()
    {
        var token = await fixture.TokenAsync("user3");
        var header = Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(token.Split('.')[0]));
        Assert.Contains("\"RS256\"", header, StringComparison.Ordinal);

        using var response = await fixture.Client.SendAsync(ArticlesApiFixture.Get("/v2/articles?size=1", token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("user1", "wrong-password")]
    [InlineData("nobody", "articles-demo")]
    [InlineData("", "articles-demo")]
    public async Task Token_endpoint_refuses_bad_credentials(string username, string password)
    {
        using var response = await fixture.Client.PostAsJsonAsync("/auth/token", new { username, password });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("access_token", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // Swaps the payload of a signed token for another one: the signature no longer matches.
    private static string Tamper(string token)
    {
        var parts = token.Split('.');
        var other = TestTokens.Rs256(TestKeys.ServiceRsa, userId: 1).Split('.');
        return parts[0] + "." + other[1] + "." + parts[2];
    }
}
