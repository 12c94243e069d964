using System.Diagnostics;
using System.Globalization;
using TestSupport;

namespace Observability.Reports.Tests.RealApi;

/// <summary>
/// The sample service (src/Articles.Api, built next to this assembly) as its own process on loopback: public port,
/// management port (metrics, pprof), traces exported over OTLP/HTTP to the given receiver.
/// </summary>
public sealed class ArticlesApiHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _log;

    private ArticlesApiHost(Process process, string log, int publicPort, int managementPort)
    {
        _process = process;
        _log = log;
        PublicAddress = new Uri($"http://127.0.0.1:{publicPort}/");
        ManagementAddress = new Uri($"http://127.0.0.1:{managementPort}/");
    }

    public Uri PublicAddress { get; }

    public Uri ManagementAddress { get; }

    public static async Task<ArticlesApiHost> StartAsync(string connectionString, string otlpEndpoint)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Articles.Api.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing (the test project references src/Articles.Api so that it is built here)");
        var publicPort = FreePort.Tcp();
        var managementPort = FreePort.Tcp();
        var env = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{publicPort.ToString(CultureInfo.InvariantCulture)}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Articles"] = connectionString,
            // A small data set: v1's correlated subqueries are still visibly slower than v2's single pass.
            ["Articles__Seed__Users"] = "20",
            ["Articles__Seed__Articles"] = "3000",
            ["Articles__Seed__Comments"] = "30000",
            ["Articles__Seed__Likes"] = "30000",
            ["Articles__Seed__Tags"] = "10",
            ["OTEL_SERVICE_NAME"] = "articles-api",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlpEndpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["Observability__Management__Port"] = managementPort.ToString(CultureInfo.InvariantCulture),
            ["Observability__Management__Address"] = "127.0.0.1",
            ["DOTNET_EventPipeThreadSamplingRate"] = "a",
        };
        var log = Path.Combine(Path.GetTempPath(), $"obs-articles-api-{Guid.NewGuid():N}.log");
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        var process = ProcessRunner.StartBackground(dotnet, [dll], log, AppContext.BaseDirectory, env);
        var host = new ArticlesApiHost(process, log, publicPort, managementPort);
        await host.WaitReadyAsync(TimeSpan.FromMinutes(2));
        return host;
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
                using var metrics = await http.GetAsync(new Uri(ManagementAddress, "metrics"));
                if (ready.IsSuccessStatusCode && metrics.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Still starting.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"Articles.Api not ready within {timeout}:\n{Log()}");
    }

    public string Log()
    {
        try
        {
            using var stream = new FileStream(_log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            var text = new StreamReader(stream).ReadToEnd();
            return text.Length > 6000 ? text[^6000..] : text;
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
        try
        {
            File.Delete(_log);
        }
        catch (IOException)
        {
        }
    }
}
