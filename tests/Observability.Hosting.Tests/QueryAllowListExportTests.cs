using System.Text;
using Observability.Hosting.Tests.Infrastructure;
using TestSupport.Otlp;

namespace Observability.Hosting.Tests;

/// <summary>
/// The allow-list on exported spans and log records. Runs alone: every tracer provider in the process enriches
/// every host's server activities, so a host with an allow-list would keep values on other tests' spans.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class QueryAllowListExportTests
{
    private static readonly (string, string?) AllowList = (ObservabilityConfigKeys.RedactionQueryAllowList, string.Join(',', QueryRedactionTable.AllowList));

    [Fact]
    public async Task Allow_listed_keys_keep_their_values_on_spans()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(more: AllowList));
        var traceId = TracedRequest.NewTraceId();
        using var request = TracedRequest.Get("/outgoing?page=2&q=books&code=code-s3cr3t", traceId);
        request.Headers.Add("X-Outgoing-Query", "?q=shelf&state=state-s3cr3t");
        (await host.Client.SendAsync(request)).EnsureSuccessStatusCode();

        host.FlushTraces();
        var spans = await receiver.WaitForSpansAsync(
            all => all.Count(s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindServer) == 2
                && all.Any(s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindClient),
            TimeSpan.FromSeconds(30), "the allow-list trace");
        var outer = Assert.Single(spans, s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindServer && s.Attribute("url.path") == "/outgoing");
        Assert.Equal("?page=2&q=books&code=REDACTED", outer.Attribute("url.query"));
        var client = Assert.Single(spans, s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindClient);
        Assert.EndsWith("/hello?q=shelf&state=REDACTED", client.Attribute("url.full"));
        Assert.DoesNotContain(QueryRedactionTable.Marker, Encoding.UTF8.GetString(receiver.AllBytes()));
    }

    [Fact]
    public async Task Allow_listed_keys_keep_their_values_in_records()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(more: [("Logging:LogLevel:Microsoft.AspNetCore", "Information"), AllowList]));
        var traceId = await host.Client.GetTracedAsync("/log?page=2&q=books&state=state-s3cr3t");

        host.FlushLogs();
        var logs = await receiver.WaitForLogsAsync(all => all.Any(r => r.TraceId == traceId && r.Attribute("QueryString") is not null),
            TimeSpan.FromSeconds(30), "the request record");
        Assert.Equal("?page=2&q=books&state=REDACTED", logs.First(r => r.TraceId == traceId && r.Attribute("QueryString") is not null).Attribute("QueryString"));
        Assert.DoesNotContain(QueryRedactionTable.Marker, Encoding.UTF8.GetString(receiver.AllBytes()));
    }
}
