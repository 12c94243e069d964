using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using TestSupport;

namespace Stack.Tests.Implementation;

/// <summary>
/// A real Alertmanager (Debian's prometheus-alertmanager, the package that also ships amtool) on a free loopback
/// port, clustering off, with the configuration file the test gives. Inhibition needs a running Alertmanager:
/// amtool's offline route test does not apply inhibit rules.
/// </summary>
internal sealed class AlertmanagerServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _dir;
    private readonly HttpClient _http;

    private AlertmanagerServer(Process process, string dir, int port)
    {
        _process = process;
        _dir = dir;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(30) };
    }

    public static string Binary => Tools.Find("prometheus-alertmanager", "OBS_ALERTMANAGER", "/usr/bin/alertmanager");

    public static async Task<AlertmanagerServer> StartAsync(string configFile)
    {
        var dir = Directory.CreateTempSubdirectory("obs-am-").FullName;
        var port = FreePort.Tcp();
        string[] args =
        [
            "--config.file=" + configFile,
            "--storage.path=" + Path.Combine(dir, "data"),
            "--web.listen-address=127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture),
            "--cluster.listen-address=",
        ];
        var process = ProcessRunner.StartBackground(Binary, args, Path.Combine(dir, "alertmanager.log"), dir);
        var server = new AlertmanagerServer(process, dir, port);
        await server.WaitReadyAsync(TimeSpan.FromSeconds(30));
        return server;
    }

    /// <summary>Posts firing alerts, each given by its labels.</summary>
    public async Task PostAsync(IEnumerable<IReadOnlyDictionary<string, string>> alerts)
    {
        using var response = await _http.PostAsJsonAsync("api/v2/alerts", alerts.Select(labels => new { labels }).ToArray());
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every alert Alertmanager holds, with its labels and the ids of the alerts that inhibit it.</summary>
    public async Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, int InhibitedBy)>> AlertsAsync()
    {
        using var doc = JsonDocument.Parse(await _http.GetStringAsync("api/v2/alerts"));
        return doc.RootElement.EnumerateArray()
            .Select(a => ((IReadOnlyDictionary<string, string>)a.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!),
                a.GetProperty("status").GetProperty("inhibitedBy").GetArrayLength()))
            .ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await ServerProcess.StopAsync(_process, _dir);
    }

    private Task WaitReadyAsync(TimeSpan timeout) =>
        ServerProcess.WaitReadyAsync(_process, _http, "Alertmanager", ReadLog, timeout);

    private string ReadLog()
    {
        try
        {
            return File.ReadAllText(Path.Combine(_dir, "alertmanager.log"));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}
