using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using TestSupport;

namespace Articles.Api.Tests.Infrastructure;

/// <summary>
/// Hosts the real Articles.Api on Kestrel (a real loopback socket) with test settings layered over its own
/// configuration. Observability is off so that these tests depend on the service alone.
/// </summary>
public sealed class ArticlesApiFactory : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;
    private readonly Action<Microsoft.Extensions.Logging.ILoggingBuilder>? _logging;

    public ArticlesApiFactory(IReadOnlyDictionary<string, string?> settings, Action<Microsoft.Extensions.Logging.ILoggingBuilder>? logging = null)
    {
        _settings = settings;
        _logging = logging;
        UseKestrel(0);
    }

    /// <summary>A client of the started service; disposed with the factory.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>Starts the service with <paramref name="settings"/> (see <see cref="SmallSeed"/>) and makes its <see cref="Client"/>.</summary>
    public static ArticlesApiFactory Start(
        IReadOnlyDictionary<string, string?> settings, Action<Microsoft.Extensions.Logging.ILoggingBuilder>? logging = null)
    {
        var factory = new ArticlesApiFactory(settings, logging);
        factory.StartServer();
        factory.Client = factory.CreateClient();
        return factory;
    }

    /// <summary>Small seed sizes: enough rows for every page shape, seeded in well under a second.</summary>
    public static Dictionary<string, string?> SmallSeed(string connectionString) => new(
        new SeedSize(Users: 12, Articles: 75, Comments: 900, Likes: 1200, Tags: 15, MaxTagsPerArticle: 4).Settings())
    {
        ["ConnectionStrings:Articles"] = connectionString,
        ["Observability:Enabled"] = "false",
        ["Articles:Jwt:RsaPrivateKeyPem"] = TestKeys.ServiceRsaPem,
        ["Articles:Database:InitializeRetrySeconds"] = "1",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    public override async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await base.DisposeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        if (_logging is not null) builder.ConfigureLogging(_logging);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
