using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Articles.Api.Tests.Infrastructure;

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
        var stopped = new ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Articles.Api" or "Articles.Api.Tests" or "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Add,
        };
        ActivitySource.AddActivityListener(listener);

        ActivityTraceId traceId;
        using (var root = TestSource.StartActivity("test request"))
        {
            Assert.NotNull(root);
            traceId = root.TraceId;
            // HttpClient sends traceparent over the socket, so the server's spans join this trace.
            using var response = await fixture.Client.SendAsync(ArticlesApiFixture.Get(path, token));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var trace = stopped.Where(a => a.TraceId == traceId).ToList();
        var repository = Assert.Single(trace, a => a.Source.Name == "Articles.Api" && a.DisplayName == spanName);
        Assert.Equal(version, repository.GetTagItem(ArticlesTelemetry.QueryVersionAttribute));
        var queries = trace.Where(a => a.Source.Name == "Npgsql" && a.ParentSpanId == repository.SpanId).ToList();
        // Their names ("postgresql SELECT articles") come from AddObservability(), which these tests turn off:
        // Observability.Hosting.Tests checks them in the exported trace.
        Assert.NotEmpty(queries);
    }
}
