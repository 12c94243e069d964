using System.Security.Cryptography;
using System.Text;
using Articles.Api.Configuration;
using Microsoft.Extensions.Options;

namespace Articles.Api.Implementation;

/// <summary>Checks the <c>Articles</c> section at startup so that a bad value stops the host with the key's name.</summary>
internal sealed class ArticlesOptionsValidator(IConfiguration configuration) : IValidateOptions<ArticlesOptions>
{
    private const int MaxRows = 50_000_000;

    public ValidateOptionsResult Validate(string? name, ArticlesOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(configuration.GetConnectionString(ArticlesOptions.ConnectionStringName)))
        {
            errors.Add($"{ArticlesOptions.ConnectionStringKey} is required (e.g. Host=localhost;Database=articles;Username=articles).");
        }

        ValidateJwt(options.Jwt, errors);
        ValidateSeed(options.Seed, errors);
        if (string.IsNullOrEmpty(options.Auth.DemoPassword))
        {
            errors.Add("Articles:Auth:DemoPassword must not be empty.");
        }

        if (options.Database.CommandTimeoutSeconds is < 1 or > 3600)
        {
            errors.Add("Articles:Database:CommandTimeoutSeconds must be between 1 and 3600.");
        }

        if (options.Database.InitializeRetrySeconds is < 1 or > 600)
        {
            errors.Add("Articles:Database:InitializeRetrySeconds must be between 1 and 600.");
        }

        ValidateCache(options.Cache, errors);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void ValidateCache(CacheOptions cache, List<string> errors)
    {
        if (cache.ExpirationSeconds is < 1 or > 86_400)
            errors.Add("Articles:Cache:ExpirationSeconds must be between 1 and 86400.");
        if (cache.RedisTimeoutMilliseconds is < 10 or > 10_000)
            errors.Add("Articles:Cache:RedisTimeoutMilliseconds must be between 10 and 10000.");
        if (cache.RedisRetryAfterSeconds is < 1 or > 3600)
            errors.Add("Articles:Cache:RedisRetryAfterSeconds must be between 1 and 3600.");
    }

    private static void ValidateJwt(JwtOptions jwt, List<string> errors)
    {
        if (string.Equals(jwt.Algorithm, JwtOptions.Hs256, StringComparison.Ordinal))
        {
            var bytes = jwt.HmacSecret is null ? 0 : Encoding.UTF8.GetByteCount(jwt.HmacSecret);
            if (bytes < JwtOptions.MinHmacSecretBytes)
            {
                errors.Add($"Articles:Jwt:HmacSecret must be at least {JwtOptions.MinHmacSecretBytes} bytes when Articles:Jwt:Algorithm is HS256 (it has {bytes}).");
            }
        }
        else if (string.Equals(jwt.Algorithm, JwtOptions.Rs256, StringComparison.Ordinal))
        {
            if (!string.IsNullOrWhiteSpace(jwt.RsaPrivateKeyPem))
            {
                try
                {
                    using var rsa = RSA.Create();
                    rsa.ImportFromPem(jwt.RsaPrivateKeyPem);
                    if (rsa.KeySize < 2048)
                    {
                        errors.Add($"Articles:Jwt:RsaPrivateKeyPem must be an RSA key of at least 2048 bits (it has {rsa.KeySize}).");
                    }
                }
                catch (Exception e) when (e is ArgumentException or CryptographicException)
                {
                    // The message of the parser never contains key material.
                    errors.Add($"Articles:Jwt:RsaPrivateKeyPem is not a valid RSA private key PEM: {e.Message}");
                }
            }
        }
        else
        {
            errors.Add($"Articles:Jwt:Algorithm must be {JwtOptions.Rs256} or {JwtOptions.Hs256} (it is '{jwt.Algorithm}').");
        }

        if (string.IsNullOrWhiteSpace(jwt.Issuer) || string.IsNullOrWhiteSpace(jwt.Audience))
        {
            errors.Add("Articles:Jwt:Issuer and Articles:Jwt:Audience must not be empty.");
        }

        if (jwt.TokenLifetimeMinutes is < 1 or > 24 * 60)
        {
            errors.Add("Articles:Jwt:TokenLifetimeMinutes must be between 1 and 1440.");
        }

        if (jwt.ClockSkewSeconds is < 0 or > 600)
        {
            errors.Add("Articles:Jwt:ClockSkewSeconds must be between 0 and 600.");
        }
    }

    private static void ValidateSeed(SeedOptions seed, List<string> errors)
    {
        void Range(string key, int value, int min)
        {
            if (value < min || value > MaxRows)
            {
                errors.Add($"Articles:Seed:{key} must be between {min} and {MaxRows} (it is {value}).");
            }
        }

        Range(nameof(seed.Users), seed.Users, 1);
        Range(nameof(seed.Articles), seed.Articles, 0);
        Range(nameof(seed.Comments), seed.Comments, 0);
        Range(nameof(seed.Likes), seed.Likes, 0);
        Range(nameof(seed.Tags), seed.Tags, 0);
        if (seed.MaxTagsPerArticle < 0 || seed.MaxTagsPerArticle > seed.Tags)
        {
            errors.Add($"Articles:Seed:MaxTagsPerArticle must be between 0 and Articles:Seed:Tags ({seed.Tags}).");
        }

        if (seed.Articles == 0 && (seed.Comments > 0 || seed.Likes > 0))
        {
            errors.Add("Articles:Seed:Comments and Articles:Seed:Likes need Articles:Seed:Articles > 0.");
        }
    }
}
