using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Articles.Api.Data;

/// <summary>Ready when the schema has been created and a trivial query answers within a few seconds.</summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource, DatabaseInitializer initializer) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!initializer.IsReady)
        {
            return HealthCheckResult.Unhealthy("The database schema is not created yet.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await using var command = dataSource.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The description is for logs; the endpoint itself answers only "Unhealthy".
            return HealthCheckResult.Unhealthy("The database does not answer.", e);
        }
    }
}
