using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Articles.Api.Caching;
using Articles.Api.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Articles.Api.Tests;

/// <summary>
/// The spans a request-time flame graph is built from: the repository span with the query version, and under it
/// the Npgsql command span named after the statement.
/// </summary>
[Collection(ArticlesApiCollection.Name)]
public sealed class TracingTests(ArticlesApiFixture fixture)
{
    private static readonly ActivitySource TestSource = new("Articles.Api.Tests");

    [Theory]
    [InlineData("/v1/articles?size=5", "ArticleRepository.FindAll", "v1")]
    [InlineData("/v2/articles?size=5", "ArticleRepository.FindAll", "v2")]
    [InlineData("/v1/articles/3", "ArticleRepository.FindById", "v1")]
    [InlineData("/v2/articles/3", "ArticleRepository.FindById", "v2")]
    public async Task Repository_span_holds_the_named_database_span(string path, string spanName, string version)
    {
        var token = await fixture.TokenAsync();
        // Other tests may have cached this answer: start from an empty cache so that v2 reaches the database.
        await fixture.Services.GetRequiredService<ArticleCache>().InvalidateAsync(CancellationToken.None);
        var trace = await TraceAsync(path, token);
        var repository = Assert.Single(trace, a => a.Source.Name == "Articles.Api" && a.DisplayName == spanName);
        Assert.Equal(version, repository.GetTagItem(ArticlesTelemetry.QueryVersionAttribute));
        var queries = trace.Where(a => a.Source.Name == "Npgsql" && a.ParentSpanId == repository.SpanId).ToList();
        // Their names ("postgresql SELECT articles") come from AddObservability(), which these tests turn off:
        // Observability.Hosting.Tests checks them in the exported trace.
        Assert.NotEmpty(queries);
    }

    [Fact]
    public async Task A_v2_cache_hit_says_so_on_the_server_span_and_runs_no_query()
    {
        var token = await fixture.TokenAsync();
        await fixture.Services.GetRequiredService<ArticleCache>().InvalidateAsync(CancellationToken.None);
        var first = await TraceAsync("/v2/articles?page=2&size=6", token);
        var second = await TraceAsync("/v2/articles?page=2&size=6", token);

        Assert.Equal("miss", Server(first).GetTagItem(ArticleCache.ResultAttribute));
        Assert.Contains(first, a => a.Source.Name == "Npgsql");
        Assert.Equal("hit", Server(second).GetTagItem(ArticleCache.ResultAttribute));
        Assert.DoesNotContain(second, a => a.Source.Name == "Npgsql");
        // v1 is never cached: the slow shape stays slow.
        var v1 = await TraceAsync("/v1/articles?page=2&size=6", token);
        Assert.Null(Server(v1).GetTagItem(ArticleCache.ResultAttribute));
        Assert.Contains(v1, a => a.Source.Name == "Npgsql");
    }

    private static Activity Server(List<Activity> trace) => Assert.Single(trace, a => a.Source.Name == "Microsoft.AspNetCore");

    private async Task<List<Activity>> TraceAsync(string path, string token)
    {
        var stopped = new ConcurrentBag<Activity>();
        // ASP.NET Core stops the server span after the response has reached the client: its stop is the signal.
        var serverStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var traceId = default(ActivityTraceId);
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Articles.Api" or "Articles.Api.Tests" or "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                stopped.Add(a);
                if (a.Source.Name == "Microsoft.AspNetCore" && a.TraceId == traceId) serverStopped.TrySetResult();
            },
        };
        ActivitySource.AddActivityListener(listener);
        using (var root = TestSource.StartActivity("test request"))
        {
            Assert.NotNull(root);
            traceId = root.TraceId;
            // HttpClient sends traceparent over the socket, so the server's spans join this trace.
            using var response = await fixture.Client.SendAsync(ArticlesApiFixture.Get(path, token));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await serverStopped.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return stopped.Where(a => a.TraceId == traceId).ToList();
    }
}
