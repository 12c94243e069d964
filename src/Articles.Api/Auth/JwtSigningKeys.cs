using System.Security.Cryptography;
using System.Text;
using Articles.Api.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace Articles.Api.Auth;

/// <summary>
/// The one signing key of the service and the single algorithm it accepts. Validation pins that algorithm, so a
/// token signed with HS256 (for example with the RSA public key as the HMAC secret) is refused when RS256 is set.
/// </summary>
public sealed class JwtSigningKeys
{
    public JwtSigningKeys(IOptions<ArticlesOptions> options, ILogger<JwtSigningKeys> logger)
    {
        var jwt = options.Value.Jwt;
        Algorithm = jwt.Algorithm;
        if (Algorithm == JwtOptions.Hs256)
        {
            SigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(jwt.HmacSecret!)) { KeyId = "hs256" };
        }
        else
        {
            var rsa = RSA.Create();
            if (string.IsNullOrWhiteSpace(jwt.RsaPrivateKeyPem))
            {
                // A fresh key per process: tokens do not survive a restart and are not shared between replicas.
                rsa.KeySize = 2048;
                logger.LogWarning("Articles:Jwt:RsaPrivateKeyPem is not set: generated a 2048-bit RSA key for this process.");
            }
            else
            {
                rsa.ImportFromPem(jwt.RsaPrivateKeyPem);
            }

            SigningKey = new RsaSecurityKey(rsa) { KeyId = "rs256" };
        }

        Credentials = new SigningCredentials(SigningKey, Algorithm);
    }

    /// <summary><c>RS256</c> or <c>HS256</c>.</summary>
    public string Algorithm { get; }

    /// <summary>Signs and validates (for RSA the private key also holds the public part).</summary>
    public SecurityKey SigningKey { get; }

    public SigningCredentials Credentials { get; }
}
