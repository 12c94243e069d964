using TestSupport;

namespace Faults.Tests.Implementation;

/// <summary>
/// One Articles.Api host (with its own PostgreSQL and a signed-in client) shared by the cases of a test class
/// whose cases do not disturb each other.
/// </summary>
public sealed class HostFixture : IAsyncLifetime
{
    private PostgresServer? _postgres;
    private ApiHost? _host;
    private ArticlesClient? _client;

    /// <summary>The cap of distinct test ids the host is configured with.</summary>
    public const int MaxTestIds = 20;

    internal ApiHost Host => _host ?? throw new InvalidOperationException("host not started");

    internal ArticlesClient Client => _client ?? throw new InvalidOperationException("host not started");

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        _host = ApiHost.Start(await _postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["Observability:LoadTest:MaxTestIds"] = MaxTestIds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        _client = await ArticlesClient.SignInAsync(_host.Client);
    }

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
