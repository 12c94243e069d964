using System.Diagnostics;
using System.Net.Http.Headers;

namespace Overhead.Implementation;

/// <summary>
/// Open-loop load at a fixed rate (what wrk2 or <c>hey -q</c> would do): requests are started on schedule whether
/// or not earlier ones have finished, so a slow server cannot slow the load down and hide its own latency.
/// Latency is measured per request from its send to the end of its body.
/// </summary>
internal sealed class OpenLoopLoad : IDisposable
{
    private readonly HttpClient _client;
    private readonly string? _token;
    private readonly string _baggage;
    private readonly int _expectedStatus;

    public OpenLoopLoad(string? token, string baggage, int expectedStatus = 200)
    {
        _expectedStatus = expectedStatus;
        _token = token;
        _baggage = baggage;
        var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = 1024,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        _client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
    }

    public sealed record Output(long Requests, double Seconds, long Errors, double P50Us, double P99Us, double AchievedRate);

    public async Task<Output> RunAsync(string url, double rate, TimeSpan duration)
    {
        var total = (long)(rate * duration.TotalSeconds);
        var latencies = new double[total];
        var errors = 0L;
        var inFlight = new List<Task>((int)Math.Min(total, 1_000_000));
        var interval = Stopwatch.Frequency / rate;
        var clock = Stopwatch.StartNew();

        // Sleep-paced scheduler: every wake-up starts all requests whose time has come (1 ms granularity,
        // the same for both variants), so the generator does not burn a core spinning.
        var scheduler = Task.Factory.StartNew(() =>
        {
            for (long i = 0; i < total;)
            {
                var due = (long)(i * interval);
                if (clock.ElapsedTicks < due)
                {
                    Thread.Sleep(1);
                    continue;
                }

                var index = i++;
                inFlight.Add(Task.Run(async () =>
                {
                    var start = Stopwatch.GetTimestamp();
                    var ok = await SendAsync(url);
                    latencies[index] = Stopwatch.GetElapsedTime(start).TotalMicroseconds;
                    if (!ok)
                    {
                        Interlocked.Increment(ref errors);
                    }
                }));
            }
        }, TaskCreationOptions.LongRunning);
        await scheduler;
        var scheduledSeconds = clock.Elapsed.TotalSeconds;
        await Task.WhenAll(inFlight);

        Array.Sort(latencies);
        return new Output(total, clock.Elapsed.TotalSeconds, errors, Percentile(latencies, 0.50), Percentile(latencies, 0.99), total / scheduledSeconds);
    }

    private async Task<bool> SendAsync(string url)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            if (!string.IsNullOrEmpty(_token))
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            }

            request.Headers.TryAddWithoutValidation("baggage", _baggage);
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
            return (int)response.StatusCode == _expectedStatus;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException)
        {
            return false;
        }
    }

    private static double Percentile(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    public void Dispose() => _client.Dispose();
}
