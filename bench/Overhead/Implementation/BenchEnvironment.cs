using System.Text;
using System.Text.Json;
using TestSupport;

namespace Overhead.Implementation;

/// <summary>
/// Everything a run needs: a temporary PostgreSQL, the telemetry sink, and the two Articles.Api processes (plain:
/// the kit switched off by configuration; full: traces over OTLP http/protobuf, metrics scraped every 5 s,
/// profiles pushed), each with its own token.
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    private PostgresServer? _postgres;

    public required TelemetrySink Sink { get; init; }

    public required string LogDir { get; init; }

    public ApiProcess Plain { get; private set; } = null!;

    public ApiProcess Full { get; private set; } = null!;

    public string PlainToken { get; private set; } = "";

    public string FullToken { get; private set; } = "";

    public MetricsScraper Scraper { get; private set; } = null!;

    public int ManagementPort { get; private set; }

    public static async Task<BenchEnvironment> StartAsync(BenchOptions options)
    {
        var logDir = Path.Combine(Path.GetTempPath(), "obs-bench-" + DateTime.UtcNow.ToString("yyyyMMdd-HHmmss", null));
        Directory.CreateDirectory(logDir);
        var environment = new BenchEnvironment { Sink = await TelemetrySink.StartAsync(FreePort.Tcp()), LogDir = logDir };
        try
        {
            await environment.StartAppsAsync(options);
            return environment;
        }
        catch
        {
            await environment.DisposeAsync();
            throw;
        }
    }

    private async Task StartAppsAsync(BenchOptions options)
    {
        Console.Error.WriteLine("starting PostgreSQL…");
        _postgres = await PostgresServer.StartAsync();
        var connectionString = await _postgres.CreateDatabaseAsync("articles");
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings__Articles"] = connectionString,
            ["OTEL_SERVICE_NAME"] = "articles-bench",
            // As docker-compose.yml sets it: the runtime's sampling interval (hex ms) that lets the profiler's
            // EventPipe sampler start. Read only when a sampling session exists, so harmless for plain.
            ["DOTNET_EventPipeThreadSamplingRate"] = "a",
        };
        foreach (var (key, value) in BenchOptions.Pairs(options.Env))
        {
            common[key] = value;
        }

        var plainEnv = new Dictionary<string, string>(common) { ["Observability__Enabled"] = "false" };
        ManagementPort = FreePort.Tcp();
        var fullEnv = new Dictionary<string, string>(common)
        {
            ["Observability__Enabled"] = "true",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Sink.BaseAddress,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["PYROSCOPE_SERVER_ADDRESS"] = Sink.BaseAddress,
            ["Observability__Management__Port"] = ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in BenchOptions.Pairs(options.FullEnv))
        {
            fullEnv[key] = value;
        }

        // Plain first: it applies the schema and seed data; full then finds the database ready.
        Console.Error.WriteLine("starting Articles.Api (plain, seeding the database)…");
        Plain = await ApiProcess.StartAsync("plain", options.ApiDll, plainEnv, options.ReadyPath, Path.Combine(LogDir, "plain.log"));
        Console.Error.WriteLine("starting Articles.Api (full)…");
        Full = await ApiProcess.StartAsync("full", options.ApiDll, fullEnv, options.ReadyPath, Path.Combine(LogDir, "full.log"));
        PlainToken = await FetchTokenAsync(Plain.BaseAddress + options.TokenPath);
        FullToken = await FetchTokenAsync(Full.BaseAddress + options.TokenPath);
        Scraper = new MetricsScraper($"http://127.0.0.1:{ManagementPort}/metrics", TimeSpan.FromSeconds(5));
    }

    public ApiProcess Get(string variant) => variant == "plain" ? Plain : Full;

    public string TokenOf(string variant) => variant == "plain" ? PlainToken : FullToken;

    /// <summary>Lets exactly one variant run; the other is paused (and, for full, so is its scraper).</summary>
    public void Activate(string variant)
    {
        var (on, off) = variant == "plain" ? (Plain, Full) : (Full, Plain);
        on.Resume();
        off.Pause();
        Scraper.Paused = variant != "full";
    }

    public void ResumeBoth()
    {
        Plain.Resume();
        Full.Resume();
        Scraper.Paused = false;
    }

    private static async Task<string> FetchTokenAsync(string url)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var body = new StringContent("""{"username":"user1","password":"articles-demo"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(url, body);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST {url} answered {(int)response.StatusCode}: {text}");
        }

        using var json = JsonDocument.Parse(text);
        foreach (var name in new[] { "access_token", "accessToken", "token" })
        {
            if (json.RootElement.TryGetProperty(name, out var token) && token.GetString() is { Length: > 0 } value)
            {
                return value;
            }
        }

        throw new InvalidOperationException($"POST {url} answered no token: {text}");
    }

    public async ValueTask DisposeAsync()
    {
        if (Scraper is not null)
        {
            await Scraper.DisposeAsync();
        }

        if (Full is not null)
        {
            await Full.DisposeAsync();
        }

        if (Plain is not null)
        {
            await Plain.DisposeAsync();
        }

        await Sink.DisposeAsync();
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
