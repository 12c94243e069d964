namespace Articles.Api.Configuration;

/// <summary>
/// The <c>Articles</c> configuration section. The connection string is read separately from
/// <c>ConnectionStrings:Articles</c> (environment variable <c>ConnectionStrings__Articles</c>).
/// </summary>
public sealed class ArticlesOptions
{
    public const string SectionName = "Articles";
    public const string ConnectionStringName = "Articles";
    public const string ConnectionStringKey = "ConnectionStrings:" + ConnectionStringName;

    public SeedOptions Seed { get; set; } = new();

    public AuthOptions Auth { get; set; } = new();

    public JwtOptions Jwt { get; set; } = new();

    public DatabaseOptions Database { get; set; } = new();

    public CacheOptions Cache { get; set; } = new();
}
