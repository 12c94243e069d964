using Microsoft.AspNetCore.Http;
using Observability.Reports.Implementation;
using Observability.Reports.Model;

namespace Observability.Reports.Tests;

public sealed class PyroscopeSectionTests
{
    private static readonly DateTimeOffset From = DateTimeOffset.FromUnixTimeMilliseconds(1764064790000);
    private static readonly DateTimeOffset To = DateTimeOffset.FromUnixTimeMilliseconds(1764064830500);

    [Fact]
    public async Task Render_answers_become_stacks_per_profile_type_and_empty_types_are_listed_as_missing()
    {
        await using var pyroscope = await ServedBackend.JsonAsync(new Dictionary<string, Func<IQueryCollection, string>>
        {
            ["/pyroscope/render"] = q => q["query"].ToString().StartsWith("process_cpu:", StringComparison.Ordinal)
                ? Answers.PyroscopeWorkedExample
                : Answers.PyroscopeEmpty,
        });
        var report = new RunReport { TestId = "run-1", From = From, To = To };
        using var http = new HttpClient();

        await new PyroscopeSection(new PyroscopeClient(http, pyroscope.BaseUrl), new Progress(TextWriter.Null), "articles-api")
            .CollectAsync(report, CancellationToken.None);

        var cpu = Assert.Single(report.Profiles).Value;
        Assert.Equal("process_cpu:cpu:nanoseconds:cpu:nanoseconds", cpu.ProfileTypeId);
        Assert.Equal("nanoseconds", cpu.Unit);
        Assert.Equal(4, cpu.Total);
        Assert.Equal(["a;b;e=1", "a;c;d=1", "a;c=2"], cpu.Stacks.Select(s => $"{string.Join(";", s.Frames)}={s.Value}").Order());
        Assert.Equal(2, report.Missing.Count);
        Assert.Contains(report.Missing, m => m.StartsWith("wall profile", StringComparison.Ordinal));
        Assert.Contains(report.Missing, m => m.StartsWith("request profile", StringComparison.Ordinal));

        var asked = pyroscope.Requests.Select(r => r.Query).ToList();
        Assert.Equal(
            [
                "process_cpu:cpu:nanoseconds:cpu:nanoseconds{service_name=\"articles-api\",k6_testid=\"run-1\"}",
                "wall:wall:nanoseconds:wall:nanoseconds{service_name=\"articles-api\",k6_testid=\"run-1\"}",
                "request:request_time:nanoseconds:request_time:nanoseconds{service_name=\"articles-api\",k6_testid=\"run-1\"}",
            ],
            asked.Select(q => q["query"].ToString()));
        Assert.All(asked, q =>
        {
            Assert.Equal("1764064790000", q["from"]);
            Assert.Equal("1764064830500", q["until"]);
        });
    }

    [Fact]
    public async Task Without_a_service_name_the_selector_has_only_the_test_id()
    {
        await using var pyroscope = await ServedBackend.JsonAsync(new Dictionary<string, Func<IQueryCollection, string>>
        {
            ["/pyroscope/render"] = _ => Answers.PyroscopeEmpty,
        });
        var report = new RunReport { TestId = "v2", From = From, To = To };
        using var http = new HttpClient();

        await new PyroscopeSection(new PyroscopeClient(http, pyroscope.BaseUrl), new Progress(TextWriter.Null), null)
            .CollectAsync(report, CancellationToken.None);

        Assert.Empty(report.Profiles);
        Assert.Equal("process_cpu:cpu:nanoseconds:cpu:nanoseconds{k6_testid=\"v2\"}", pyroscope.Requests.First().Query["query"]);
    }

    [Fact]
    public async Task A_refused_profile_type_does_not_cost_the_others()
    {
        await using var pyroscope = await ServedBackend.StartAsync(async c =>
        {
            var query = c.Request.Query["query"].ToString();
            if (query.StartsWith("wall:", StringComparison.Ordinal))
            {
                c.Response.StatusCode = 400;
                await c.Response.WriteAsync("""{"code":"invalid_argument","message":"unknown profile type"}""");
                return;
            }

            c.Response.ContentType = "application/json";
            await c.Response.WriteAsync(Answers.PyroscopeWorkedExample);
        });
        var report = new RunReport { TestId = "run-1", From = From, To = To };
        using var http = new HttpClient();

        await new PyroscopeSection(new PyroscopeClient(http, pyroscope.BaseUrl), new Progress(TextWriter.Null), null)
            .CollectAsync(report, CancellationToken.None);

        Assert.Equal(["cpu", "request"], report.Profiles.Keys.Order());
        var missing = Assert.Single(report.Missing);
        Assert.StartsWith("wall profile: HTTP 400", missing);
        Assert.Contains("unknown profile type", missing);
    }

    [Fact]
    public async Task Unexpected_answer_shape_is_a_backend_error()
    {
        await using var pyroscope = await ServedBackend.JsonAsync(new Dictionary<string, Func<IQueryCollection, string>>
        {
            ["/pyroscope/render"] = _ => """{"code":"invalid_argument","message":"no profile type"}""",
        });
        using var http = new HttpClient();

        var ex = await Assert.ThrowsAsync<BackendException>(() => new PyroscopeClient(http, pyroscope.BaseUrl)
            .RenderAsync("process_cpu:cpu:nanoseconds:cpu:nanoseconds", "{}", From, To, 100, CancellationToken.None));

        Assert.Equal("Pyroscope", ex.Backend);
        Assert.Contains("no flamebearer", ex.Message);
    }
}
