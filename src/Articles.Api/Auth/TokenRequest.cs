namespace Articles.Api.Auth;

/// <summary>Body of <c>POST /auth/token</c>: a seeded username and the demo password.</summary>
public sealed record TokenRequest(string? Username, string? Password);
