using System.Diagnostics;

namespace BurstLatency.Implementation;

/// <summary>
/// Open-loop load at a fixed rate (requests start on schedule whether or not earlier ones finished), keeping each
/// request's start on the bench's clock so that it can be placed against the profiler's session windows.
/// </summary>
internal static class TimedLoad
{
    public readonly record struct Request(double Start, double LatencyMs, bool Ok);

    public static async Task<Request[]> RunAsync(HttpClient client, Uri url, double rate, TimeSpan duration, Stopwatch clock)
    {
        var total = (int)(rate * duration.TotalSeconds);
        var results = new Request[total];
        var inFlight = new List<Task>(total);
        var begin = clock.Elapsed.TotalSeconds;
        // Sleep-paced: each wake-up starts every request whose time has come, so the generator does not spin a core.
        await Task.Factory.StartNew(() =>
        {
            for (var i = 0; i < total;)
            {
                if (clock.Elapsed.TotalSeconds - begin < i / rate)
                {
                    Thread.Sleep(1);
                    continue;
                }
                var index = i++;
                inFlight.Add(Task.Run(async () =>
                {
                    var start = clock.Elapsed.TotalSeconds;
                    var ok = false;
                    try
                    {
                        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead);
                        ok = response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                    }
                    catch (TaskCanceledException)
                    {
                    }
                    results[index] = new Request(start, (clock.Elapsed.TotalSeconds - start) * 1000, ok);
                }));
            }
        }, TaskCreationOptions.LongRunning);
        await Task.WhenAll(inFlight);
        return results;
    }
}
