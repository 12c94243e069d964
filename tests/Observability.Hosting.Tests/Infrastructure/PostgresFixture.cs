using TestSupport;

namespace Observability.Hosting.Tests.Infrastructure;

/// <summary>One real PostgreSQL for the test classes that need database spans.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        _server = await PostgresServer.StartAsync();
        // A password in the connection string (ignored by trust auth) must never appear in telemetry.
        ConnectionString = await _server.CreateDatabaseAsync() + ";Password=pg-conn-secret-55d";
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }
}
