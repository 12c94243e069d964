using System.Diagnostics;
using Npgsql;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Sampling;
using Observability.Profiling.Implementation.Spans;
using TestSupport;

namespace Observability.Profiling.Tests;

[Collection(EventPipeCollection.Name)]
public class RequestTimeProfileTests
{
    [Fact]
    public async Task Awaited_slow_postgres_query_is_a_db_leaf_frame_with_about_that_much_time()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync();
        // EventPipe's windows decide the span link here; with perf events a span links only when it has CPU samples.
        await using var host = await ProfiledHost.StartAsync(o => o.CpuSampler = CpuSamplerKind.EventPipe);
        await host.WaitForSamplerAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        // Open a pooled connection first so the measured request holds the query only.
        await using (var warm = await dataSource.OpenConnectionAsync()) { }

        var capture = host.Hub.BeginCapture(ProfileKind.Request);
        string spanId;
        Activity? ended;
        try
        {
            using var request = ProfiledHost.Source.StartActivity("GET /slow", ActivityKind.Server)!;
            ended = request;
            spanId = request.SpanId.ToHexString();
            // Set when the span ends, and only if a sampling window overlapped it (one is open: the host samples all the time).
            Assert.Null(request.GetTagItem(SpanProfileProcessor.ProfileIdAttribute));
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = new NpgsqlCommand("SELECT pg_sleep(0.3)", connection);
            await command.ExecuteNonQueryAsync();
        }
        finally
        {
            host.Hub.EndCapture(capture);
        }

        Assert.Equal(spanId, ended.GetTagItem(SpanProfileProcessor.ProfileIdAttribute));
        var samples = capture.Snapshot().Where(kv => kv.Key.Labels.SpanId == spanId).ToList();
        var db = samples.Where(kv => kv.Key.Frames.Length == 2 && kv.Key.Frames[1].StartsWith("postgresql ", StringComparison.Ordinal)).ToList();
        var frames = string.Join(" | ", samples.Select(kv => string.Join(";", kv.Key.Frames) + "=" + kv.Value / 1_000_000 + "ms"));
        Assert.True(db.Count == 1, frames);
        Assert.Equal("GET /slow", db[0].Key.Frames[0]);
        Assert.Equal("postgresql SELECT", db[0].Key.Frames[1]);
        Assert.InRange(db[0].Value, 290_000_000, 900_000_000);
        // The request's own self time is what is left: much less than the query.
        var self = samples.Where(kv => kv.Key.Frames.Length == 1).Sum(kv => kv.Value);
        Assert.True(self < db[0].Value, frames);
    }

    [Fact]
    public void Nested_spans_give_span_paths_and_self_times()
    {
        var hub = new ProfileHub(new ProfilingOptions(), new ProfilerMetrics(Prometheus.Metrics.NewCustomRegistry()));
        var processor = new SpanProfileProcessor(hub, new SampledKinds(EventPipeSampler.Shared));
        var capture = hub.BeginCapture(ProfileKind.Request);
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "nested-test",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = processor.OnStart,
            ActivityStopped = processor.OnEnd,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("nested-test");

        var start = DateTime.UtcNow;
        // ASP.NET Core names the server span after routing, when it ends: children must see the final name.
        var root = source.StartActivity("GET", ActivityKind.Server)!;
        root.SetStartTime(start);
        var repo = source.StartActivity("ArticleRepository.FindAll")!;
        repo.SetStartTime(start.AddMilliseconds(10));
        var query = source.StartActivity("query", ActivityKind.Client)!;
        query.SetTag("db.system", "postgresql");
        query.SetTag("db.statement", "SELECT a.id, (SELECT COUNT(*) FROM comments c WHERE c.article_id = a.id) FROM articles a WHERE a.author = $1");
        query.SetStartTime(start.AddMilliseconds(20));
        query.SetEndTime(start.AddMilliseconds(220));
        query.Stop();
        repo.SetEndTime(start.AddMilliseconds(230));
        repo.Stop();
        root.SetEndTime(start.AddMilliseconds(250));
        root.DisplayName = "GET /articles";
        root.Stop();
        hub.EndCapture(capture);

        var values = capture.Snapshot().ToDictionary(kv => string.Join(";", kv.Key.Frames), kv => kv.Value);
        Assert.Equal(200_000_000, values["GET /articles;ArticleRepository.FindAll;postgresql SELECT articles"]);
        Assert.Equal(20_000_000, values["GET /articles;ArticleRepository.FindAll"]);
        Assert.Equal(30_000_000, values["GET /articles"]);
        Assert.All(capture.Snapshot(), kv => Assert.Equal(root.SpanId.ToHexString(), kv.Key.Labels.SpanId));
        // Only local roots carry the profile id (the root's own depends on whether a window was open: see SpanLinkTests).
        Assert.Null(repo.GetTagItem(SpanProfileProcessor.ProfileIdAttribute));
    }
}
