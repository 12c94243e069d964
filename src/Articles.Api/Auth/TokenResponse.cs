using System.Text.Json.Serialization;

namespace Articles.Api.Auth;

/// <summary>Answer of <c>POST /auth/token</c>, with OAuth 2.0 field names (RFC 6749 section 5.1).</summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn);
