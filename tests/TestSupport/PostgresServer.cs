using Npgsql;

namespace TestSupport;

/// <summary>
/// A real PostgreSQL cluster in a temporary folder, listening on a free loopback port. PostgreSQL refuses to run as
/// root, so as root its tools run as the 'postgres' user through runuser.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(90);
    private readonly string _dataDir;
    private readonly string _bin;
    private bool _running;

    private PostgresServer(string dataDir, string bin, int port)
    {
        _dataDir = dataDir;
        _bin = bin;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Where the server writes its log (useful in assertion messages).</summary>
    public string LogFile => Path.Combine(_dataDir, "server.log");

    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var bin = Tools.PostgresBin;
        var dataDir = Path.Combine(Path.GetTempPath(), "obs-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dataDir);
        if (IsRoot)
        {
            await Run("chown", ["postgres:postgres", dataDir]);
        }

        var server = new PostgresServer(dataDir, bin, FreePort.Tcp());
        await server.RunTool("initdb", ["-D", Path.Combine(dataDir, "data"), "-U", "postgres", "-A", "trust", "-E", "UTF8", "--no-sync"]);
        await server.StartAgainAsync(cancellationToken);
        return server;
    }

    /// <summary>A connection string for a database of this server.</summary>
    public string ConnectionString(string database = "postgres") =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            Pooling = true,
            Timeout = 5,
        }.ConnectionString;

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? name = null)
    {
        name ??= "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown: open connections are cut), as in an outage.</summary>
    public async Task StopAsync()
    {
        if (!_running)
        {
            return;
        }

        await RunTool("pg_ctl", ["-D", Path.Combine(_dataDir, "data"), "-m", "fast", "-w", "stop"]);
        _running = false;
        NpgsqlConnection.ClearAllPools();
    }

    /// <summary>Starts the server (again) on the same port; returns when it accepts connections.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (_running)
        {
            return;
        }

        var options = $"-p {Port} -c listen_addresses=127.0.0.1 -k {_dataDir} -c fsync=off -c synchronous_commit=off " +
                      "-c full_page_writes=off -c max_connections=300";
        await RunTool("pg_ctl", ["-D", Path.Combine(_dataDir, "data"), "-l", LogFile, "-o", options, "-w", "-t", "60", "start"]);
        _running = true;

        // pg_ctl -w waits for readiness; one real connection proves it over TCP.
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (Exception)
        {
            // Best effort: a server that is already gone must not fail the test run.
        }

        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private async Task RunTool(string tool, string[] args)
    {
        var path = Path.Combine(_bin, tool);
        var result = IsRoot
            ? await ProcessRunner.RunAsync("runuser", ["-u", "postgres", "--", path, .. args], ToolTimeout, workingDirectory: "/tmp")
            : await ProcessRunner.RunAsync(path, args, ToolTimeout, workingDirectory: "/tmp");
        if (result.ExitCode != 0)
        {
            var log = File.Exists(LogFile) ? await File.ReadAllTextAsync(LogFile) : "";
            throw new InvalidOperationException($"{tool} failed: {result.Output}\n--- server log ---\n{log}");
        }
    }

    private static async Task Run(string file, string[] args)
    {
        var result = await ProcessRunner.RunAsync(file, args, ToolTimeout);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} failed: {result.Output}");
        }
    }
}
