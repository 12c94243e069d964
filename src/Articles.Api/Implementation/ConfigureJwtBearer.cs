using Articles.Api.Auth;
using Articles.Api.Configuration;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Articles.Api.Implementation;

/// <summary>Validation rules for incoming bearer tokens: our issuer, audience and key, one pinned algorithm.</summary>
internal sealed class ConfigureJwtBearer(JwtSigningKeys keys, IOptions<ArticlesOptions> options)
    : IConfigureNamedOptions<JwtBearerOptions>
{
    public void Configure(string? name, JwtBearerOptions bearer)
    {
        if (name != JwtBearerDefaults.AuthenticationScheme)
        {
            return;
        }

        var jwt = options.Value.Jwt;
        bearer.MapInboundClaims = false;
        bearer.TokenValidationParameters = new TokenValidationParameters
        {
            ValidIssuer = jwt.Issuer,
            ValidAudience = jwt.Audience,
            IssuerSigningKey = keys.SigningKey,
            // Pinning: alg=none and any algorithm but the configured one are refused before the signature check.
            ValidAlgorithms = [keys.Algorithm],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuer = true,
            ValidateAudience = true,
            ValidateLifetime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = TimeSpan.FromSeconds(jwt.ClockSkewSeconds),
            NameClaimType = "name",
        };
    }

    public void Configure(JwtBearerOptions options) => Configure(Options.DefaultName, options);
}
