using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observability.Hosting;
using TestSupport;

namespace Faults.Tests.Implementation;

/// <summary>
/// Articles.Api on a real Kestrel port (WebApplicationFactory with UseKestrel), configured through host settings
/// so the values are visible to <c>AddObservability()</c> in Program.cs, with every log record captured.
/// The management listener gets a free port (Management:Port=0); <see cref="ManagementAddress"/> is where it ended up.
/// </summary>
internal sealed class ApiHost : WebApplicationFactory<Program>
{
    private readonly IReadOnlyDictionary<string, string?> _settings;

    private ApiHost(IReadOnlyDictionary<string, string?> settings) => _settings = settings;

    public LogCapture Logs { get; } = new();

    public HttpClient Client { get; private set; } = null!;

    public Uri PublicAddress => Client.BaseAddress!;

    public Uri ManagementAddress { get; private set; } = null!;

    /// <summary>Starts the API with the default test settings overlaid by <paramref name="settings"/>.</summary>
    public static ApiHost Start(string connectionString, IReadOnlyDictionary<string, string?>? settings = null)
    {
        // Small seed data: the tests need rows, not slowness.
        var seed = new SeedSize(Users: 20, Articles: 200, Comments: 600, Likes: 600, Tags: 10);
        var all = new Dictionary<string, string?>(seed.Settings(), StringComparer.OrdinalIgnoreCase)
        {
            ["ConnectionStrings:Articles"] = connectionString,
            ["Articles:Database:InitializeRetrySeconds"] = "1",
            ["Observability:ServiceName"] = "faults-tests",
            ["Observability:Management:Port"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var host = new ApiHost(all);
        host.UseKestrel(0);
        host.StartServer();
        host.Client = host.CreateClient();
        host.Client.Timeout = TimeSpan.FromSeconds(30);
        var management = host.Services.GetRequiredService<IManagementEndpoint>();
        host.ManagementAddress = management.BaseAddress
            ?? throw new InvalidOperationException("the management listener did not start (IManagementEndpoint.BaseAddress is null)");
        return host;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        // The app's own level configuration (appsettings.json) decides what is logged, as in production; the
        // records go to the capture only, which keeps the test output short.
        builder.ConfigureLogging(logging =>
        {
            logging.ClearProviders();
            logging.AddProvider(Logs);
        });
    }
}
