using System.Collections.Concurrent;
using Faults.Tests.Implementation;
using TestSupport;
using TestSupport.Otlp;

namespace Faults.Tests;

/// <summary>
/// PostgreSQL stopped under load and started again: the API answers 503 while it is down (never 500, never a
/// dropped connection), recovers by itself, stays alive, and the outage shows up as spans with error status.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class DatabaseOutageTests
{
    private static readonly TimeSpan PhaseDeadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Outage_answers_503_then_recovers_with_error_spans_exported()
    {
        await using var postgres = await PostgresServer.StartAsync();
        await using var collector = await FakeBackend.StartAsync(BackendMode.Accept);
        await using var host = ApiHost.Start(await postgres.CreateDatabaseAsync(), new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // The pool must notice a restarted server quickly; the default command timeout stays.
            ["Articles:Database:CommandTimeoutSeconds"] = "5",
        });
        var client = await ArticlesClient.SignInAsync(host.Client);

        var seen = new ConcurrentQueue<(string Phase, int Status)>();
        var phase = "before";
        using var stop = new CancellationTokenSource();
        var load = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                // v1: never cached, so every request needs PostgreSQL (v2 may answer from its cache during the outage).
                var (statuses, _) = await client.LoadAsync(8, 2, "/v1/articles?page=1&size=5");
                foreach (var status in statuses)
                {
                    seen.Enqueue((Volatile.Read(ref phase), status));
                }
            }
        });

        await WaitForStatusAsync(seen, "before", 200);
        Volatile.Write(ref phase, "down");
        await postgres.StopAsync();
        await WaitForStatusAsync(seen, "down", 503);
        Volatile.Write(ref phase, "restarted");
        await postgres.StartAgainAsync();
        await WaitForStatusAsync(seen, "restarted", 200);
        await stop.CancelAsync();
        await load;

        // Only 200 and 503 ever: no 500, no broken connection (status 0), whatever the timing of the outage.
        var unexpected = seen.Where(s => s.Status is not (200 or 503)).ToList();
        Assert.True(unexpected.Count == 0, "unexpected answers: " + string.Join(", ", unexpected.Take(20)));
        using (var live = await host.Client.GetAsync("/health/live"))
        {
            Assert.True(live.IsSuccessStatusCode, "the API is not alive after the outage");
        }

        // The 503 requests were exported as server spans with error status.
        var spans = await Eventually.ReturnsAsync(
            () => Task.FromResult(collector.Spans()),
            all => all.Any(s => s.StatusCode == ReceivedSpan.StatusError && s.Attributes.GetValueOrDefault("http.response.status_code") == "503"),
            PhaseDeadline,
            "a server span with status ERROR and http.response.status_code 503");
        Assert.Contains(spans, s => s.StatusCode is ReceivedSpan.StatusUnset or ReceivedSpan.StatusOk);
        Assert.DoesNotContain(host.Logs.Records, r => r.StartsWith("Critical", StringComparison.Ordinal));
    }

    private static Task WaitForStatusAsync(ConcurrentQueue<(string Phase, int Status)> seen, string phase, int status) =>
        Eventually.ReturnsAsync(
            () => Task.FromResult(seen.Count(s => s.Phase == phase && s.Status == status)),
            count => count > 0,
            PhaseDeadline,
            $"a {status} answer in phase '{phase}'");
}
