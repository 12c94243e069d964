using System.Net.Http.Headers;

namespace Overhead.Implementation;

/// <summary>
/// Scrapes the management port every few seconds, as Prometheus would, so the full variant pays for its
/// exposition too. Scrapes are skipped while the process is paused.
/// </summary>
internal sealed class MetricsScraper : IAsyncDisposable
{
    private readonly HttpClient _client = new() { Timeout = TimeSpan.FromSeconds(4) };
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private volatile bool _paused;

    public MetricsScraper(string metricsUrl, TimeSpan interval)
    {
        MetricsUrl = metricsUrl;
        _client.DefaultRequestHeaders.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/openmetrics-text; version=1.0.0"));
        _loop = Task.Run(() => LoopAsync(interval, _stop.Token));
    }

    public string MetricsUrl { get; }

    public int Scrapes { get; private set; }

    public int Failures { get; private set; }

    public long Bytes { get; private set; }

    public string LastBody { get; private set; } = "";

    public bool Paused
    {
        set => _paused = value;
    }

    private async Task LoopAsync(TimeSpan interval, CancellationToken token)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(token).ConfigureAwait(false))
        {
            if (_paused)
            {
                continue;
            }

            try
            {
                var body = await _client.GetStringAsync(MetricsUrl, token);
                Scrapes++;
                Bytes += body.Length;
                LastBody = body;
            }
            catch (HttpRequestException)
            {
                Failures++;
            }
            catch (TaskCanceledException) when (!token.IsCancellationRequested)
            {
                Failures++;
            }
        }
    }

    /// <summary>The current exposition, fetched now (for the end-of-run health check of the kit's own counters).</summary>
    public Task<string> FetchAsync() => _client.GetStringAsync(MetricsUrl);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _client.Dispose();
        _stop.Dispose();
    }
}
