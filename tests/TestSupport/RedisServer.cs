using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace TestSupport;

/// <summary>
/// A real Redis (Debian's redis-server) on a free loopback port, no persistence, in a temporary folder. It can be
/// stopped and started again on the same port (an outage), or frozen with SIGSTOP (connections are accepted by the
/// kernel but never answered: a black-holed Redis).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly string _dir;
    private Process? _process;

    private RedisServer(string dir, int port)
    {
        _dir = dir;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis connection string of this server.</summary>
    public string ConnectionString => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var dir = Path.Combine(Path.GetTempPath(), "obs-redis-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var server = new RedisServer(dir, FreePort.Tcp());
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the server (again) on the same port; returns once it answers PING.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is { HasExited: false }) return;
        var start = new ProcessStartInfo(Tools.RedisServer)
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                     "--save", "", "--appendonly", "no", "--dir", _dir, "--daemonize", "no", "--protected-mode", "yes" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await Eventually.ReturnsAsync(PingAsync, ok => ok, StartTimeout, $"redis-server on port {Port} answering PING");
    }

    /// <summary>Stops the server (connections are cut), as in an outage.</summary>
    public async Task StopAsync()
    {
        if (_process is null || _process.HasExited) return;
        Signal("CONT");
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>Freezes the process: the port still accepts connections, nothing is ever answered.</summary>
    public void Freeze() => Signal("STOP");

    public void Thaw() => Signal("CONT");

    /// <summary>Sends one RESP command and returns the raw reply (for checks from the test side).</summary>
    public async Task<string> CommandAsync(params string[] parts)
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
        var stream = client.GetStream();
        var request = new StringBuilder().Append('*').Append(parts.Length).Append("\r\n");
        foreach (var part in parts)
            request.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        await stream.WriteAsync(Encoding.UTF8.GetBytes(request.ToString()), timeout.Token);
        var buffer = new byte[64 * 1024];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _process?.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<bool> PingAsync()
    {
        try
        {
            return (await CommandAsync("PING")).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Signal(string signal)
    {
        if (_process is null || _process.HasExited) return;
        using var kill = Process.Start("kill", ["-" + signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill?.WaitForExit();
    }
}
