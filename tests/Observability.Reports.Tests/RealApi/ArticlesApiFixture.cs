using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using TestSupport.Pprof;
using Observability.Reports.Tests.Scenario;
using TestSupport;
using TestSupport.Otlp;

namespace Observability.Reports.Tests.RealApi;

/// <summary>
/// The real sample service on a real PostgreSQL, scraped by a real Prometheus, under a tagged load for v1 and then v2;
/// its spans (OTLP) and profiles (its own <c>/debug/pprof/profile</c>) are served back in Tempo's and Pyroscope's
/// query formats. Then <c>obs report</c> for both runs and <c>obs compare</c>. With OBS_EXAMPLE_REPORT_DIR set, the
/// reports are copied there (that is how docs/example-report was made).
/// </summary>
public sealed partial class ArticlesApiFixture : IAsyncLifetime
{
    public const string V1 = "articles-v1";
    public const string V2 = "articles-v2";
    // OBS_EXAMPLE_REPORT_SECONDS makes each version's run that long under steady load (users with think time, as a
    // k6 script would), for docs/example-report; the tests' default is a short burst.
    private static readonly int ProfileSeconds =
        int.TryParse(Environment.GetEnvironmentVariable("OBS_EXAMPLE_REPORT_SECONDS"), CultureInfo.InvariantCulture, out var s) ? Math.Clamp(s, 7, 60) : 7;
    private static readonly bool Steady = ProfileSeconds > 7;

    private readonly Dictionary<string, Dictionary<string, PprofProfile>> _profiles = new();
    private PostgresServer? _postgres;
    private OtlpReceiver? _otlp;
    private ArticlesApiProcess? _api;
    private readonly string _apiLog = Path.Combine(Path.GetTempPath(), $"obs-articles-api-{Guid.NewGuid():N}.log");
    private ServedBackend? _tempo;
    private ServedBackend? _pyroscope;
    private MetricsApp? _k6;

    public PrometheusServer Prometheus { get; private set; } = null!;

    public string ReportsDir { get; } = Path.Combine(Path.GetTempPath(), "obs-api-reports-" + Guid.NewGuid().ToString("N")[..10]);

    public Dictionary<string, int> Sent { get; } = new();

    public Dictionary<string, (DateTimeOffset First, DateTimeOffset Last)> LoadTimes { get; } = new();

    public Dictionary<string, (int Exit, string Out, string Err)> Runs { get; } = new();

    public IReadOnlyCollection<ReceivedSpan> Spans => _otlp!.Spans;

    public async Task InitializeAsync()
    {
        _postgres = await PostgresServer.StartAsync();
        var db = await _postgres.CreateDatabaseAsync();
        _otlp = await OtlpReceiver.StartAsync();
        // A small data set: v1's correlated subqueries are still visibly slower than v2's single pass.
        _api = await ArticlesApiProcess.StartAsync(db, _apiLog, new Dictionary<string, string>(
            new SeedSize(Users: 20, Articles: 3000, Comments: 30000, Likes: 30000, Tags: 10).EnvironmentVariables())
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _otlp.HttpEndpoint.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // The example runs as the one line gives it: no sampling-rate variable, so its debug captures sample at
            // the runtime's 1 ms rate (ten times the samples of the 10 ms the tests use).
            ["DOTNET_EventPipeThreadSamplingRate"] = Steady ? "" : "a",
        });
        // k6's metrics as the load driver measures them, scraped here instead of remote-written (same series names).
        _k6 = await MetricsApp.StartAsync();
        Prometheus = await PrometheusServer.StartAsync(PrometheusServer.ScrapeConfig(
            TimeSpan.FromSeconds(1), ("articles-api", _api.ManagementAddress.Authority), ("k6", _k6.Target)));
        await Prometheus.WaitForTargetsUpAsync(TimeSpan.FromSeconds(60));
        _tempo = await ServedBackend.StartAsync(c => Json(c, TempoFromSpans.Answer(c.Request.Query, _otlp.Spans.ToArray())));
        _pyroscope = await ServedBackend.StartAsync(c => Json(c, RenderFromProfiles(c.Request.Query["query"].ToString())));

        using var load = new ApiLoad(_api.PublicAddress, _k6);
        await load.SignInAsync();
        foreach (var (testId, version) in new[] { (V1, "v1"), (V2, "v2") })
        {
            load.Reset();
            await RunAsync(load, testId, version);
        }

        await WaitForSpansAsync();
        var endpoints = new[]
        {
            "--prometheus", Prometheus.BaseAddress.ToString(), "--tempo", _tempo.BaseUrl, "--pyroscope", _pyroscope.BaseUrl,
            "--scrape-interval", "1s", "--lookback", "15m", "--out", ReportsDir,
        };
        await ObsAsync("report-" + V1, ["report", "--testid", V1, "--service", "articles-api", .. endpoints]);
        await ObsAsync("report-" + V2, ["report", "--testid", V2, "--service", "articles-api", .. endpoints]);
        await ObsAsync("compare", ["compare", V1, V2, "--out", ReportsDir]);
        CopyExample();
    }

    public string RunDir(string name) => Path.Combine(ReportsDir, name);

    public Observability.Reports.Model.RunReport Data(string testId) => Implementation.ReportFiles.Read(RunDir(testId));

    public string ApiLog() => _api?.Log() ?? "";

    private async Task RunAsync(ApiLoad load, string testId, string version)
    {
        // A first request that Prometheus sees on its own, so the window has a clear start.
        var first = DateTimeOffset.UtcNow;
        var sent = await load.RunAsync(testId, version, users: 1, TimeSpan.FromMinutes(1), maxRequests: 1);
        await WaitForCountAsync(testId, sent);

        using var http = new HttpClient { BaseAddress = _api!.ManagementAddress, Timeout = TimeSpan.FromSeconds(ProfileSeconds + 60) };
        var captures = new[] { "cpu", "wall", "request" }.ToDictionary(
            kind => kind,
            kind => http.GetByteArrayAsync($"debug/pprof/profile?seconds={ProfileSeconds}&type={kind}"));
        sent += Steady
            ? await load.RunAsync(testId, version, users: 4, TimeSpan.FromSeconds(ProfileSeconds), int.MaxValue, TimeSpan.FromMilliseconds(100))
            : await load.RunAsync(testId, version, users: 4, TimeSpan.FromSeconds(ProfileSeconds - 2), maxRequests: 400);
        LoadTimes[testId] = (first, DateTimeOffset.UtcNow);
        _profiles[testId] = new Dictionary<string, PprofProfile>();
        foreach (var (kind, capture) in captures)
        {
            _profiles[testId][kind] = PprofProfile.Parse(await capture);
        }

        Sent[testId] = sent;
        await WaitForCountAsync(testId, sent);
    }

    private Task WaitForCountAsync(string testId, int count)
    {
        var server = $"sum(http_server_request_duration_seconds_count{{testid=\"{testId}\"}})";
        var client = $"sum(k6_http_reqs_total{{testid=\"{testId}\"}})";
        return Eventually.ReturnsAsync(
            async () => (Server: await Prometheus.ScalarAsync(server, DateTimeOffset.UtcNow),
                Client: await Prometheus.ScalarAsync(client, DateTimeOffset.UtcNow)),
            seen => seen.Server == count && seen.Client == count,
            TimeSpan.FromSeconds(60),
            $"Prometheus seeing {count} requests of {testId} (server and client)",
            seen => $"server {seen.Server}, client {seen.Client}\n{ApiLog()}",
            TimeSpan.FromMilliseconds(200));
    }

    // The exporter sends every few seconds: wait (bounded) until every request's server span has arrived. A span the
    // service dropped under pressure is counted in its metrics; the tests check against that count, so a timeout
    // here is not a failure.
    private Task WaitForSpansAsync() =>
        _otlp!.TryWaitForSpansAsync(
            spans => Sent.All(s => spans.Count(x => x.Attributes.GetValueOrDefault("k6.testid") == s.Key) >= s.Value),
            TimeSpan.FromSeconds(30));

    // Pyroscope's merge for a test id: the samples of the captured profile that carry k6_testid = that id.
    private string RenderFromProfiles(string query)
    {
        var testId = ProfileTestId().Match(query);
        var kind = query.StartsWith("process_cpu:", StringComparison.Ordinal) ? "cpu" : query.StartsWith("wall:", StringComparison.Ordinal) ? "wall" : "request";
        if (!testId.Success || !_profiles.TryGetValue(testId.Groups[1].Value, out var byKind))
        {
            return FlamebearerEncoder.RenderAnswer([]);
        }

        var stacks = byKind[kind].Samples
            .Where(s => s.Labels.GetValueOrDefault("k6_testid") == testId.Groups[1].Value && s.Values.Count > 0 && s.Values[^1] > 0)
            .Select(s => (s.Stack.ToArray(), s.Values[^1]));
        return FlamebearerEncoder.RenderAnswer(stacks);
    }

    private async Task ObsAsync(string name, string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await ObsCli.RunAsync(args, output, error);
        Runs[name] = (exit, output.ToString(), error.ToString());
    }

    private void CopyExample()
    {
        var target = Environment.GetEnvironmentVariable("OBS_EXAMPLE_REPORT_DIR");
        if (string.IsNullOrEmpty(target))
        {
            return;
        }

        foreach (var dir in new[] { V1, V2, $"compare-{V1}-vs-{V2}" })
        {
            Directory.CreateDirectory(Path.Combine(target, dir));
            foreach (var file in Directory.GetFiles(RunDir(dir)))
            {
                File.Copy(file, Path.Combine(target, dir, Path.GetFileName(file)), overwrite: true);
            }
        }
    }

    private static async Task Json(HttpContext c, string body)
    {
        c.Response.ContentType = "application/json";
        await c.Response.WriteAsync(body);
    }

    [GeneratedRegex("k6_testid=\"([^\"]+)\"")]
    private static partial Regex ProfileTestId();

    public async Task DisposeAsync()
    {
        if (_pyroscope is not null) await _pyroscope.DisposeAsync();
        if (_tempo is not null) await _tempo.DisposeAsync();
        if (Prometheus is not null) await Prometheus.DisposeAsync();
        if (_api is not null) await _api.DisposeAsync();
        File.Delete(_apiLog);
        if (_otlp is not null) await _otlp.DisposeAsync();
        if (_postgres is not null) await _postgres.DisposeAsync();
        if (_k6 is not null) await _k6.DisposeAsync();
        try
        {
            Directory.Delete(ReportsDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
