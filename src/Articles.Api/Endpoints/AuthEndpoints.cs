using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Articles.Api.Auth;
using Articles.Api.Configuration;
using Articles.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Articles.Api.Endpoints;

/// <summary><c>POST /auth/token</c>: a seeded username and the demo password give a bearer token.</summary>
public static class AuthEndpoints
{
    public sealed record TokenRequest(string? Username, string? Password);

    /// <summary>OAuth 2.0 field names (RFC 6749 section 5.1).</summary>
    public sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("token_type")] string TokenType,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);

    public static IEndpointRouteBuilder MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/auth/token", IssueToken).AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<TokenResponse>, ProblemHttpResult>> IssueToken(
        TokenRequest request, UserRepository users, TokenIssuer issuer, IOptions<ArticlesOptions> options, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.Username) || request.Username.Length > 100 || request.Password is null
            || !CryptographicOperations.FixedTimeEquals(
                Encoding.UTF8.GetBytes(request.Password), Encoding.UTF8.GetBytes(options.Value.Auth.DemoPassword))
            || await users.FindByUsername(request.Username, ct) is not { } user)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid username or password.");
        }

        var token = issuer.Issue(user.Id, user.Username);
        return TypedResults.Ok(new TokenResponse(token, "Bearer", (int)issuer.Lifetime.TotalSeconds));
    }
}
