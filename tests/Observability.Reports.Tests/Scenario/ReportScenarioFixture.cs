using System.Globalization;
using TestSupport;

namespace Observability.Reports.Tests.Scenario;

/// <summary>
/// One real Prometheus scraping <see cref="MetricsApp"/> while two simulated runs (v1, v2) and some unrelated traffic
/// go through it; then <c>obs report</c> for both runs, a partial report, and <c>obs compare</c>, all in-process.
/// </summary>
public sealed class ReportScenarioFixture : IAsyncLifetime
{
    public const string V1 = "v1-run";
    public const string V2 = "v2-run";

    public PrometheusServer Prometheus { get; private set; } = null!;

    public MetricsApp App { get; private set; } = null!;

    public ScenarioBackends Backends { get; private set; } = null!;

    public string ReportsDir { get; } = Path.Combine(Path.GetTempPath(), "obs-reports-" + Guid.NewGuid().ToString("N")[..10]);

    public string PartialDir => Path.Combine(ReportsDir, "partial");

    public Dictionary<string, List<(DateTimeOffset Time, SimulatedRequest Request)>> Recorded { get; } = new();

    public Dictionary<string, (int Exit, string Out, string Err)> Runs { get; } = new();

    public async Task InitializeAsync()
    {
        App = await MetricsApp.StartAsync();
        Prometheus = await PrometheusServer.StartAsync(PrometheusServer.ScrapeConfig(TimeSpan.FromSeconds(1), ("articles-api", App.Target)));
        await Prometheus.WaitForTargetsUpAsync(TimeSpan.FromSeconds(60));
        Backends = await ScenarioBackends.StartAsync();

        // Unrelated traffic that no report of ours may count.
        App.Record("someone-else", new SimulatedRequest("GET", "/v1/articles", 200, 3.0));
        foreach (var (id, scenario) in new[] { (V1, new LoadScenario("v1", 11)), (V2, new LoadScenario("v2", 22)) })
        {
            Recorded[id] = await RunLoadAsync(id, scenario);
            Backends.Add(id, scenario, Recorded[id]);
        }

        await ReportAsync("report-" + V1, ["report", "--testid", V1, "--lookback", "15m", "--out", ReportsDir, .. Endpoints()]);
        await ReportAsync("report-" + V2, ["report", "--testid", V2, "--lookback", "15m", "--service", "articles-api", "--out", ReportsDir, .. Endpoints()]);
        // Tempo on a port nobody listens on: the report must still be written, and say what is missing.
        await ReportAsync("partial", ["report", "--testid", V1, "--lookback", "15m", "--out", PartialDir, .. Endpoints("http://127.0.0.1:" + FreePort.Tcp())]);
        await ReportAsync("compare", ["compare", V1, V2, "--out", ReportsDir]);
        await ReportAsync("list", ["list", "--out", ReportsDir]);
    }

    public string RunDir(string testId) => Path.Combine(ReportsDir, testId);

    public Observability.Reports.Model.RunReport Data(string testId) => Implementation.ReportFiles.Read(RunDir(testId));

    private async Task<List<(DateTimeOffset, SimulatedRequest)>> RunLoadAsync(string testId, LoadScenario scenario)
    {
        var recorded = new List<(DateTimeOffset, SimulatedRequest)>();
        foreach (var batch in scenario.Requests())
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var request in batch)
            {
                App.Record(testId, request);
                recorded.Add((now, request));
            }

            SetTrends(testId, recorded.Select(r => r.Item2).ToList());
            // Wait until Prometheus has scraped this batch, so every batch is its own point in time.
            await WaitForCountAsync(testId, recorded.Count);
        }

        return recorded;
    }

    // k6 reports trend stats per request name; computed here from what was sent so far.
    private void SetTrends(string testId, List<SimulatedRequest> sent)
    {
        foreach (var group in sent.Where(r => r.Status < 400).GroupBy(r => (r.Route, r.Method)))
        {
            var sorted = group.Select(r => r.Seconds).Order().ToList();
            double At(double q) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(q * sorted.Count) - 1)];
            App.SetTrend(testId, group.Key.Route, group.Key.Method, At(0.5), At(0.95), At(0.99));
        }
    }

    private Task WaitForCountAsync(string testId, int count)
    {
        var promql = $"sum(http_server_request_duration_seconds_count{{testid=\"{testId}\"}})";
        return Eventually.ReturnsAsync(
            () => Prometheus.ScalarAsync(promql, DateTimeOffset.UtcNow),
            seen => seen == count,
            TimeSpan.FromSeconds(60),
            $"Prometheus seeing {count} requests of {testId}",
            seen => seen?.ToString(CultureInfo.InvariantCulture) ?? "no series",
            TimeSpan.FromMilliseconds(200));
    }

    private async Task ReportAsync(string name, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ObsCli.RunAsync(args, output, error);
        Runs[name] = (exit, output.ToString(), error.ToString());
    }

    private string[] Endpoints(string? tempo = null) =>
    [
        "--prometheus", Prometheus.BaseAddress.ToString(),
        "--tempo", tempo ?? Backends.Tempo.BaseUrl,
        "--pyroscope", Backends.Pyroscope.BaseUrl,
        "--grafana", "http://localhost:3000",
        "--scrape-interval", "1s",
    ];

    public async Task DisposeAsync()
    {
        await Backends.DisposeAsync();
        await Prometheus.DisposeAsync();
        await App.DisposeAsync();
        try
        {
            Directory.Delete(ReportsDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
