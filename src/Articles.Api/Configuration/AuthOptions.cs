namespace Articles.Api.Configuration;

/// <summary><c>Articles:Auth:*</c>: demo sign-in for <c>POST /auth/token</c>.</summary>
public sealed class AuthOptions
{
    /// <summary>
    /// Every seeded user (user1, user2, ...) signs in with this password. A demo convenience only: override it
    /// (<c>Articles__Auth__DemoPassword</c>) anywhere the service is reachable by others.
    /// </summary>
    public string DemoPassword { get; set; } = "articles-demo";
}
