using Articles.Api.Configuration;
using Articles.Api.Implementation;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Articles.Api.Data;

/// <summary>
/// Creates and seeds the schema at startup when the database is empty. Everything happens in one transaction
/// under an advisory lock, so replicas starting together seed once and a failed seed leaves nothing behind.
/// When the database is unreachable the host still starts (readiness stays down) and DatabaseInitializerService
/// retries in the background.
/// </summary>
public sealed class DatabaseInitializer(
    NpgsqlDataSource dataSource,
    IOptions<ArticlesOptions> options,
    ILogger<DatabaseInitializer> logger)
{
    private volatile bool _ready;

    /// <summary>True once the schema exists (created now or found).</summary>
    public bool IsReady => _ready;

    /// <summary>Creates and seeds the schema unless it exists. Returns true when it was created.</summary>
    public async Task<bool> InitializeAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection))
        {
            lockCommand.Parameters.AddWithValue("key", SchemaSql.AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(ct);
        }

        await using (var exists = new NpgsqlCommand(SchemaSql.Exists, connection))
        {
            if ((bool)(await exists.ExecuteScalarAsync(ct))!)
            {
                await Execute(connection, SchemaSql.EnsureArticleStats, ct);
                await transaction.CommitAsync(ct);
                return false;
            }
        }

        var seed = options.Value.Seed;
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Execute(connection, SchemaSql.CreateTables, ct);
        if (seed.Enabled)
        {
            await new SeedDataWriter(seed).WriteAsync(connection, ct);
        }

        await Execute(connection, SchemaSql.AddForeignKeysAndAnalyze, ct);
        await Execute(connection, SchemaSql.EnsureArticleStats, ct);
        await transaction.CommitAsync(ct);
        logger.LogInformation(
            "Created the articles schema and seeded {Users} users, {Articles} articles, {Comments} comments, {Likes} likes in {Elapsed} ms.",
            seed.Enabled ? seed.Users : 0, seed.Enabled ? seed.Articles : 0, seed.Enabled ? seed.Comments : 0,
            seed.Enabled ? seed.Likes : 0, started.ElapsedMilliseconds);
        return true;
    }

    /// <summary>One attempt; false when the database is unreachable (logged), other failures throw.</summary>
    public async Task<bool> TryInitializeAsync(CancellationToken ct)
    {
        try
        {
            await InitializeAsync(ct);
            _ready = true;
            return true;
        }
        catch (Exception e) when (DatabaseFailure.IsUnavailable(e))
        {
            logger.LogWarning("Database unreachable, the schema will be created when it is back: {Reason}", e.Message);
            return false;
        }
    }

    /// <summary>Attempts again every few seconds until the schema exists or <paramref name="ct"/> is cancelled.</summary>
    public async Task RetryUntilReadyAsync(CancellationToken ct)
    {
        var delay = TimeSpan.FromSeconds(options.Value.Database.InitializeRetrySeconds);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(delay, ct);
                if (await TryInitializeAsync(ct))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Not an outage (for example a permission error): keep trying, the log says why.
                logger.LogError(e, "Creating the articles schema failed.");
            }
        }
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
