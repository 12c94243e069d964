using Stack.Tests.Implementation;
using TestSupport;

namespace Stack.Tests;

/// <summary>
/// PostgreSQL, the real Articles.Api and a real Prometheus (configured from prometheus/prometheus.yml and
/// prometheus/rules) that scrapes the API's management port, after a short load tagged with <see cref="TestId"/>.
/// </summary>
public sealed class LiveApiFixture : IAsyncLifetime
{
    private PostgresServer? _postgres;
    private ArticlesApiProcess? _api;
    private string? _apiLog;

    // '.' and '/' are kept by the API's label hygiene and are regex or path characters in the queries that filter by it.
    public string TestId { get; } = "stack.v1/" + Guid.NewGuid().ToString("N")[..8];

    public PrometheusServer Prometheus { get; private set; } = null!;

    public IReadOnlyList<string> SentTraceIds { get; private set; } = [];

    public DateTimeOffset LoadStart { get; private set; }

    public DateTimeOffset LoadEnd { get; private set; }

    public int Requests { get; private set; }

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        var db = await _postgres.CreateDatabaseAsync();
        _apiLog = Path.Combine(Path.GetTempPath(), $"stack-api-{Guid.NewGuid():N}.log");
        _api = await ArticlesApiProcess.StartAsync(db, _apiLog,
            new Dictionary<string, string>(new SeedSize(Users: 20, Articles: 200, Comments: 400, Likes: 400, Tags: 10).EnvironmentVariables()));
        Prometheus = await PrometheusServer.StartAsync(LivePrometheusConfig.For(_api.ManagementPort));
        await Prometheus.WaitForTargetsUpAsync(TimeSpan.FromSeconds(60));

        LoadStart = DateTimeOffset.UtcNow;
        using var load = new LoadDriver(_api.PublicAddress, TestId);
        await load.SignInAsync();

        // A first round, seen by Prometheus before the rest, so that the counters rise between scrapes and
        // every rate() has something to show.
        await load.SendAsync(rounds: 1);
        await WaitForRequestsAsync(load.TraceIds.Count);
        await load.SendAsync(rounds: 14);
        SentTraceIds = load.TraceIds.ToList();
        Requests = SentTraceIds.Count;
        LoadEnd = DateTimeOffset.UtcNow;
        await WaitForRequestsAsync(Requests);
    }

    // Waits until Prometheus has scraped a request counter that includes all requests sent so far.
    private async Task WaitForRequestsAsync(int count)
    {
        using var doc = await Prometheus.WaitForSeriesAsync(
            $"sum(http_server_request_duration_seconds_count{{testid=\"{TestId}\"}}) >= {count}", TimeSpan.FromSeconds(60));
    }

    public string ApiLog() => _api?.Log() ?? "";

    public async Task DisposeAsync()
    {
        if (Prometheus is not null)
        {
            await Prometheus.DisposeAsync();
        }

        if (_api is not null)
        {
            await _api.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_apiLog is not null)
        {
            File.Delete(_apiLog);
        }
    }
}
