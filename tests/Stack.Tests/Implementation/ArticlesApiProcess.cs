using System.Diagnostics;
using System.Globalization;
using TestSupport;

namespace Stack.Tests.Implementation;

/// <summary>
/// The real Articles.Api (built next to this test assembly) started as its own process, as in the compose
/// file, on loopback ports chosen here: the public port and the management port.
/// </summary>
internal sealed class ArticlesApiProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _logFile;

    private ArticlesApiProcess(Process process, string logFile, int publicPort, int managementPort)
    {
        _process = process;
        _logFile = logFile;
        PublicAddress = new Uri($"http://127.0.0.1:{publicPort}/");
        ManagementPort = managementPort;
    }

    public Uri PublicAddress { get; }

    public int ManagementPort { get; }

    public static async Task<ArticlesApiProcess> StartAsync(string connectionString, string logFile)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Articles.Api.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} not found: Stack.Tests references src/Articles.Api so that it is built here");
        }

        var publicPort = FreePort.Tcp();
        var managementPort = FreePort.Tcp();
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{publicPort.ToString(CultureInfo.InvariantCulture)}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Articles"] = connectionString,
            ["Articles__Seed__Users"] = "20",
            ["Articles__Seed__Articles"] = "200",
            ["Articles__Seed__Comments"] = "400",
            ["Articles__Seed__Likes"] = "400",
            ["Articles__Seed__Tags"] = "10",
            ["OTEL_SERVICE_NAME"] = "articles-api",
            ["Observability__Management__Port"] = managementPort.ToString(CultureInfo.InvariantCulture),
            ["Observability__Management__Address"] = "127.0.0.1",
            ["DOTNET_EventPipeThreadSamplingRate"] = "a",
        };
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var process = ProcessRunner.StartBackground(dotnet, [dll], logFile, AppContext.BaseDirectory, env);
        var api = new ArticlesApiProcess(process, logFile, publicPort, managementPort);
        await api.WaitReadyAsync(TimeSpan.FromMinutes(2));
        return api;
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Articles.Api exited with {_process.ExitCode}:\n{Log()}");
            }

            try
            {
                using var ready = await http.GetAsync(new Uri(PublicAddress, "health/ready"));
                using var metrics = await http.GetAsync($"http://127.0.0.1:{ManagementPort}/metrics");
                if (ready.IsSuccessStatusCode && metrics.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Articles.Api not ready within {timeout}:\n{Log()}");
    }

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

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }
}
