using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Articles.Api.Tests.Infrastructure;

/// <summary>Builds tokens the way an attacker or a broken client would, to check that validation refuses them.</summary>
public static class TestTokens
{
    public const string Issuer = "articles-api";
    public const string Audience = "articles-api";

    public static string Rs256(RSA key, DateTime? expires = null, string issuer = Issuer, string audience = Audience, int userId = 1) =>
        Sign(new SigningCredentials(new RsaSecurityKey(key), SecurityAlgorithms.RsaSha256), expires, issuer, audience, userId);

    public static string Hs256(byte[] secret, int userId = 1) =>
        Sign(new SigningCredentials(new SymmetricSecurityKey(secret), SecurityAlgorithms.HmacSha256), null, Issuer, Audience, userId);

    /// <summary>An unsigned token: header <c>{"alg":"none"}</c> and an empty signature.</summary>
    public static string AlgNone(int userId = 1)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64Url($$"""{"sub":"{{userId}}","name":"user{{userId}}","iss":"{{Issuer}}","aud":"{{Audience}}","iat":{{now}},"nbf":{{now}},"exp":{{now + 3600}}}""");
        return header + "." + payload + ".";
    }

    private static string Sign(SigningCredentials credentials, DateTime? expires, string issuer, string audience, int userId)
    {
        var exp = expires ?? DateTime.UtcNow.AddHours(1);
        var issued = exp.AddHours(-2) < DateTime.UtcNow ? exp.AddHours(-2) : DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = exp,
            Subject = new ClaimsIdentity([new Claim("sub", userId.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim("name", "user" + userId)]),
            SigningCredentials = credentials,
        });
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(json));
}
