using System.Text.RegularExpressions;
using Observability.Hosting.Tests.Infrastructure;

namespace Observability.Hosting.Tests;

/// <summary>
/// Real thread-pool starvation (every pool thread blocked, more work queued) shows up in
/// <c>dotnet_threadpool_starvation_total</c>. Runs alone: it blocks the pool.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class ThreadPoolStarvationTests
{
    [Fact]
    public async Task Starvation_is_counted()
    {
        await using var host = await TestHost.StartAsync();
        var before = Starvation(await host.ScrapeAsync());

        using var release = new ManualResetEventSlim(false);
        var blockers = new List<Task>();
        try
        {
            // Block more items than the pool has threads; the runtime injects threads for starvation.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                for (var i = 0; i < Environment.ProcessorCount * 2; i++)
                    blockers.Add(Task.Run(() => release.Wait(TimeSpan.FromSeconds(90))));
                // The scrape runs on a dedicated thread: the pool itself is what is starved.
                var text = await Task.Factory.StartNew(() => ScrapeBlocking(host), TaskCreationOptions.LongRunning).Unwrap();
                if (Starvation(text) > before) break;
                Thread.Sleep(250);
                if (blockers.Count > 2000) break;
            }
            var final = await Task.Factory.StartNew(() => ScrapeBlocking(host), TaskCreationOptions.LongRunning).Unwrap();
            Assert.True(Starvation(final) > before, "no starvation counted");
        }
        finally
        {
            release.Set();
            await Task.WhenAll(blockers);
        }
    }

    private static Task<string> ScrapeBlocking(TestHost host) => Task.FromResult(host.ScrapeAsync().GetAwaiter().GetResult());

    private static double Starvation(string text) => Gauge(text, "dotnet_threadpool_starvation_total");

    private static double Gauge(string text, string name)
    {
        var match = Regex.Match(text, "^" + name + " (\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, name + " missing");
        return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
