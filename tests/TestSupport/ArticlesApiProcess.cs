using System.Diagnostics;
using System.Globalization;

namespace TestSupport;

/// <summary>
/// The real Articles.Api started as its own process, as in the compose file: the test project references
/// src/Articles.Api so that its dll is built next to the test assembly. Public and management ports are free
/// loopback ports; the sampler's variable is set at start, as the Dockerfile does.
/// </summary>
public sealed class ArticlesApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _logFile;

    private ArticlesApiProcess(Process process, string logFile, int publicPort, int managementPort)
    {
        _process = process;
        _logFile = logFile;
        PublicAddress = new Uri($"http://127.0.0.1:{publicPort}/");
        ManagementPort = managementPort;
        ManagementAddress = new Uri($"http://127.0.0.1:{managementPort}/");
    }

    public Uri PublicAddress { get; }

    public int ManagementPort { get; }

    public Uri ManagementAddress { get; }

    /// <summary>Starts the service and waits until <c>/health/ready</c> and <c>/metrics</c> answer.</summary>
    /// <param name="environment">Added to (or overriding) the defaults: seed sizes, OTLP endpoint, …</param>
    public static async Task<ArticlesApiProcess> StartAsync(
        string connectionString, string logFile, IReadOnlyDictionary<string, string>? environment = null)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Articles.Api.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} not found: the test project must reference src/Articles.Api so that it is built there");
        }

        var publicPort = FreePort.Tcp();
        var managementPort = FreePort.Tcp();
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{publicPort.ToString(CultureInfo.InvariantCulture)}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Articles"] = connectionString,
            ["OTEL_SERVICE_NAME"] = "articles-api",
            ["Observability__Management__Port"] = managementPort.ToString(CultureInfo.InvariantCulture),
            ["Observability__Management__Address"] = "127.0.0.1",
            ["DOTNET_EventPipeThreadSamplingRate"] = "a",
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            env[key] = value;
        }

        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var process = ProcessRunner.StartBackground(dotnet, [dll], logFile, AppContext.BaseDirectory, env);
        var api = new ArticlesApiProcess(process, logFile, publicPort, managementPort);
        try
        {
            await api.WaitReadyAsync(TimeSpan.FromMinutes(2));
        }
        catch
        {
            await api.DisposeAsync();
            throw;
        }

        return api;
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.HoldsAsync(
            async () =>
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"Articles.Api exited with {_process.ExitCode}:\n{Log()}");
                }

                try
                {
                    using var ready = await http.GetAsync(new Uri(PublicAddress, "health/ready"));
                    using var metrics = await http.GetAsync(new Uri(ManagementAddress, "metrics"));
                    return ready.IsSuccessStatusCode && metrics.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false; // Not listening yet.
                }
            },
            timeout,
            "Articles.Api ready (/health/ready and /metrics)",
            () => "\n" + Log());
    }

    /// <summary>The end of the service's console output, for failure messages.</summary>
    public string Log()
    {
        try
        {
            using var stream = new FileStream(_logFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd();
            return text.Length > 8000 ? text[^8000..] : text;
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    public ValueTask DisposeAsync() => new(ServerProcess.StopAsync(_process));
}
