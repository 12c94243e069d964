using System.Security.Cryptography;
using System.Text;
using Articles.Api.Auth;
using Articles.Api.Configuration;
using Articles.Api.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Articles.Api.Endpoints;

/// <summary><c>POST /auth/token</c>: a seeded username and the demo password give a bearer token.</summary>
public static class AuthEndpoints
{
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
