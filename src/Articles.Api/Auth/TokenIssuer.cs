using System.Security.Claims;
using Articles.Api.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Articles.Api.Auth;

/// <summary>Issues the bearer tokens the article endpoints require.</summary>
public sealed class TokenIssuer(JwtSigningKeys keys, IOptions<ArticlesOptions> options, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new();

    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.Value.Jwt.TokenLifetimeMinutes);

    /// <summary>A signed JWT whose <c>sub</c> is the user id and <c>name</c> the username.</summary>
    public string Issue(int userId, string username)
    {
        var jwt = options.Value.Jwt;
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = jwt.Issuer,
            Audience = jwt.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, userId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Claim(JwtRegisteredClaimNames.Name, username),
            ]),
            SigningCredentials = keys.Credentials,
        });
    }
}
