using Faults.Tests.Implementation;
using TestSupport;

namespace Faults.Tests;

/// <summary>
/// A collector or Pyroscope that refuses connections, black-holes them or answers 503: requests keep succeeding
/// in bounded time, the app's managed memory stays bounded, and the kit counts the failures and drops.
/// Performance is measured in bench/, not here: the time bound below only catches requests that wait on the backend.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class BackendOutageTests(PostgresFixture postgres)
{
    private static readonly TimeSpan CounterDeadline = TimeSpan.FromSeconds(45);
    private static readonly TimeSpan RequestBound = TimeSpan.FromSeconds(5);
    private const long MemoryBoundBytes = 128L * 1024 * 1024;

    public static TheoryData<string, BackendMode> Cases => new()
    {
        { "traces", BackendMode.Refuse },
        { "traces", BackendMode.BlackHole },
        { "traces", BackendMode.Unavailable },
        { "profiles", BackendMode.Refuse },
        { "profiles", BackendMode.BlackHole },
        { "profiles", BackendMode.Unavailable },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Requests_succeed_and_failures_are_counted_when_the_backend_fails(string signal, BackendMode mode)
    {
        await using var backend = await FakeBackend.StartAsync(mode);
        var settings = signal == "traces"
            ? new Dictionary<string, string?>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = backend.BaseAddress.ToString(),
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            }
            : new Dictionary<string, string?> { ["PYROSCOPE_SERVER_ADDRESS"] = backend.BaseAddress.ToString() };
        await using var host = ApiHost.Start(await postgres.Server.CreateDatabaseAsync(), settings);
        var client = await ArticlesClient.SignInAsync(host.Client);
        await client.LoadAsync(20, 4);
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        // The profiler's counters are process-wide (earlier hosts of this test run count there too): compare with now.
        var before = await Exposition.FetchAsync(host.ManagementAddress);
        var failuresBefore = Failures(before, signal);
        var dropCounter = signal == "traces" ? "observability_spans_dropped_total" : "observability_profiles_dropped_total";
        var droppedBefore = Exposition.Sum(before, dropCounter);

        // Load runs until the kit has noticed the failing backend (or the deadline passes).
        using var noticed = new CancellationTokenSource();
        var statuses = new List<int>();
        var slowest = TimeSpan.Zero;
        var load = Task.Run(async () =>
        {
            while (!noticed.IsCancellationRequested)
            {
                var (batch, batchSlowest) = await client.LoadAsync(100, 4);
                statuses.AddRange(batch);
                slowest = batchSlowest > slowest ? batchSlowest : slowest;
            }
        });
        var exposition = await Eventually.ReturnsAsync(
            () => Exposition.FetchAsync(host.ManagementAddress),
            text => Failures(text, signal) > failuresBefore && Exposition.Sum(text, dropCounter) > droppedBefore,
            CounterDeadline,
            $"observability_export_failures_total{{signal=\"{signal}\"}} and {dropCounter} rising with the {signal} backend in mode {mode}");
        await noticed.CancelAsync();
        await load;

        Assert.NotEmpty(statuses);
        Assert.All(statuses, status => Assert.Equal(200, status));
        Assert.True(slowest < RequestBound, $"slowest request took {slowest.TotalMilliseconds:F0} ms with the {signal} backend in mode {mode}");
        var heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
        Assert.True(heapGrowth < MemoryBoundBytes, $"managed heap grew by {heapGrowth / 1024 / 1024} MiB after {statuses.Count} requests");
        if (mode == BackendMode.BlackHole)
        {
            Assert.True(backend.HeldConnections > 0, "the exporter never even connected to the black hole");
        }
        else if (mode == BackendMode.Unavailable)
        {
            Assert.True(backend.Hits(signal == "traces" ? "/v1/traces" : "/push.v1.PusherService/Push") > 0, "the 503 backend was never called");
        }

        Assert.Empty(Exposition.MalformedLines(exposition));
    }

    private static double Failures(string exposition, string signal) =>
        Exposition.Samples(exposition)
            .Where(s => s.Name == "observability_export_failures_total" && s.Labels.GetValueOrDefault("signal") == signal)
            .Sum(s => s.Value);
}
