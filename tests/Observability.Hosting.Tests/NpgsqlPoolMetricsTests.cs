using Npgsql;
using Observability.Hosting.Tests.Infrastructure;
using TestSupport;

namespace Observability.Hosting.Tests;

/// <summary>
/// Npgsql's pool gauges on <c>/metrics</c> against a real PostgreSQL: a pool of one connection, held, with a second
/// open waiting for it, reads as one used connection of a maximum of one and one waiting open; when the first is
/// returned, the wait ends and the gauge goes back to zero.
/// </summary>
public sealed class NpgsqlPoolMetricsTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task A_full_pool_reads_as_used_connections_and_a_waiting_open()
    {
        await using var host = await TestHost.StartAsync();
        var pool = "pool-" + Guid.NewGuid().ToString("N")[..8];
        var builder = new NpgsqlDataSourceBuilder(postgres.ConnectionString + ";Maximum Pool Size=1;Timeout=60") { Name = pool };
        await using var source = builder.Build();
        var label = $"db_client_connection_pool_name=\"{pool}\"";

        var held = await source.OpenConnectionAsync();
        var waiting = source.OpenConnectionAsync().AsTask();
        var full = await Eventually.ReturnsAsync(() => host.ScrapeAsync(),
            text => Line(text, "db_client_connection_npgsql_pending_requests", label) == "1", TimeSpan.FromSeconds(30), "the waiting open");

        Assert.Equal("1", Line(full, "db_client_connection_count", label, "db_client_connection_state=\"used\""));
        Assert.Equal("1", Line(full, "db_client_connection_max", label));
        Assert.False(waiting.IsCompleted);

        await held.DisposeAsync();
        await using var second = await waiting;
        var after = await host.ScrapeAsync();
        Assert.Equal("0", Line(after, "db_client_connection_npgsql_pending_requests", label));
    }

    // The value of the one series of that metric whose labels include all of those given, or null.
    private static string? Line(string exposition, string metric, params string[] labels) =>
        exposition.Split('\n')
            .Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal) && labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .Select(l => l[(l.LastIndexOf('}') + 2)..].Split(' ')[0])
            .SingleOrDefault();
}
