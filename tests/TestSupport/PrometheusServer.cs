using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace TestSupport;

/// <summary>
/// A real Prometheus (Debian's package) on a free loopback port, with exemplar storage and the remote-write receiver
/// on, using the configuration the test gives.
/// </summary>
public sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;

    private PrometheusServer(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Uri BaseAddress { get; }

    public HttpClient Http { get; }

    public string LogFile => Path.Combine(_dir, "prometheus.log");

    /// <summary>
    /// Starts Prometheus with <paramref name="configYaml"/> as its configuration file and waits until it is ready.
    /// </summary>
    public static async Task<PrometheusServer> StartAsync(string configYaml, params string[] extraArgs)
    {
        var dir = Path.Combine(Path.GetTempPath(), "obs-prom-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var configFile = Path.Combine(dir, "prometheus.yml");
        await File.WriteAllTextAsync(configFile, configYaml);
        var port = FreePort.Tcp();
        string[] args =
        [
            "--config.file=" + configFile,
            "--storage.tsdb.path=" + Path.Combine(dir, "data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "--enable-feature=exemplar-storage",
            "--web.enable-remote-write-receiver",
            "--web.enable-lifecycle",
            .. extraArgs,
        ];
        var process = ProcessRunner.StartBackground(Tools.Prometheus, args, Path.Combine(dir, "prometheus.log"), dir);
        var server = new PrometheusServer(process, dir, port);
        await server.WaitReadyAsync(TimeSpan.FromSeconds(60));
        return server;
    }

    /// <summary>A configuration that scrapes the given loopback targets every <paramref name="interval"/>.</summary>
    public static string ScrapeConfig(TimeSpan interval, params (string Job, string Target)[] targets)
    {
        var seconds = Math.Max(1, (int)interval.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s";
        var jobs = string.Concat(targets.Select(t =>
            $"  - job_name: '{t.Job}'\n    scrape_interval: {seconds}\n    static_configs:\n      - targets: ['{t.Target}']\n"));
        return $"global:\n  scrape_interval: {seconds}\n  evaluation_interval: {seconds}\nscrape_configs:\n{jobs}";
    }

    /// <summary>An instant query; returns the parsed JSON response (status checked).</summary>
    public Task<JsonDocument> QueryAsync(string promql, DateTimeOffset? time = null)
    {
        var url = "api/v1/query?query=" + Uri.EscapeDataString(promql);
        if (time is not null)
        {
            url += "&time=" + Unix(time.Value);
        }

        return GetJsonAsync(url);
    }

    /// <summary>An instant query at <paramref name="time"/>: the first series' value, or null when none answers.</summary>
    public async Task<double?> ScalarAsync(string promql, DateTimeOffset time)
    {
        using var doc = await QueryAsync(promql, time);
        var result = doc.RootElement.GetProperty("data").GetProperty("result");
        return result.GetArrayLength() == 0
            ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    public Task<JsonDocument> QueryRangeAsync(string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step) =>
        GetJsonAsync($"api/v1/query_range?query={Uri.EscapeDataString(promql)}&start={Unix(start)}&end={Unix(end)}" +
                     $"&step={step.TotalSeconds.ToString(CultureInfo.InvariantCulture)}");

    public Task<JsonDocument> QueryExemplarsAsync(string promql, DateTimeOffset start, DateTimeOffset end) =>
        GetJsonAsync($"api/v1/query_exemplars?query={Uri.EscapeDataString(promql)}&start={Unix(start)}&end={Unix(end)}");

    /// <summary>Waits until every configured scrape target is up and has been scraped at least once.</summary>
    public Task WaitForTargetsUpAsync(TimeSpan timeout) =>
        Eventually.ReturnsAsync(
            async () =>
            {
                using var doc = await GetJsonAsync("api/v1/targets?state=active");
                return doc.RootElement.GetProperty("data").GetProperty("activeTargets").Clone();
            },
            targets => targets.GetArrayLength() > 0 && targets.EnumerateArray().All(t => t.GetProperty("health").GetString() == "up"),
            timeout,
            "every Prometheus scrape target up",
            targets => targets.ToString());

    /// <summary>Polls an instant query until it returns at least one series, or fails with the last answer.</summary>
    public async Task<JsonDocument> WaitForSeriesAsync(string promql, TimeSpan timeout)
    {
        var found = await Eventually.ReturnsAsync(
            async () =>
            {
                var doc = await QueryAsync(promql);
                if (doc.RootElement.GetProperty("data").GetProperty("result").GetArrayLength() > 0)
                {
                    return (Series: doc, Answer: "");
                }

                // Only the answer is kept of an empty result, for the failure message.
                var answer = doc.RootElement.ToString();
                doc.Dispose();
                return (Series: (JsonDocument?)null, Answer: answer);
            },
            result => result.Series is not null,
            timeout,
            $"a series for '{promql}'",
            result => result.Answer);
        return found.Series!;
    }

    public async Task<JsonDocument> GetJsonAsync(string relativeUrl)
    {
        using var response = await Http.GetAsync(relativeUrl);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Prometheus {relativeUrl} answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await ServerProcess.StopAsync(_process, _dir);
    }

    private Task WaitReadyAsync(TimeSpan timeout) => ServerProcess.WaitReadyAsync(_process, Http, "Prometheus", ReadLog, timeout);

    private string ReadLog()
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }

    private static string Unix(DateTimeOffset t) =>
        (t.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);
}
