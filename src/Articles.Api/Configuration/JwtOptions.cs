namespace Articles.Api.Configuration;

/// <summary><c>Articles:Jwt:*</c>: how tokens are signed and validated.</summary>
public sealed class JwtOptions
{
    public const string Rs256 = "RS256";
    public const string Hs256 = "HS256";
    public const int MinHmacSecretBytes = 32;

    /// <summary><c>RS256</c> (default: the CPU-heavy case the demo reproduces) or <c>HS256</c>.</summary>
    public string Algorithm { get; set; } = Rs256;

    /// <summary>PEM of an RSA private key (PKCS#1 or PKCS#8). Empty: a 2048-bit key is generated at startup.</summary>
    public string? RsaPrivateKeyPem { get; set; }

    /// <summary>HS256 secret, at least 32 bytes in UTF-8.</summary>
    public string? HmacSecret { get; set; }

    public string Issuer { get; set; } = "articles-api";

    public string Audience { get; set; } = "articles-api";

    public int TokenLifetimeMinutes { get; set; } = 60;

    public int ClockSkewSeconds { get; set; } = 30;
}
