using System.Text;
using Observability.Hosting.Tests.Infrastructure;
using TestSupport.Otlp;

namespace Observability.Hosting.Tests;

/// <summary>
/// §3's table on exported spans, decoded from OTLP: the server span's <c>url.query</c> and the client span's
/// <c>url.full</c>, with the instrumentation's own redaction on and switched off (ours must hold either way).
/// The allow-list is in <see cref="QueryAllowListExportTests"/>.
/// </summary>
public sealed class QueryRedactionExportTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Server_and_client_spans_carry_every_query_value_redacted(bool instrumentationRedactionOff)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var config = receiver.ExportingTo();
        if (instrumentationRedactionOff)
        {
            // The instrumentations read these switches from IConfiguration: with them, they record raw queries.
            config["OTEL_DOTNET_EXPERIMENTAL_ASPNETCORE_DISABLE_URL_QUERY_REDACTION"] = "true";
            config["OTEL_DOTNET_EXPERIMENTAL_HTTPCLIENT_DISABLE_URL_QUERY_REDACTION"] = "true";
        }
        await using var host = await TestHost.StartAsync(config);

        var rows = QueryRedactionTable.Rows.Select(row => ((string)row[0], (string)row[1])).ToList();
        var traces = new List<(string TraceId, string Expected)>();
        foreach (var (query, expected) in rows)
        {
            var traceId = TracedRequest.NewTraceId();
            using var request = TracedRequest.Get("/outgoing" + query, traceId);
            request.Headers.Add("X-Outgoing-Query", query);
            using var response = await host.Client.SendAsync(request);
            Assert.Equal("200", await response.Content.ReadAsStringAsync());
            traces.Add((traceId, expected));
        }

        host.FlushTraces();
        var spans = await receiver.WaitForSpansAsync(
            all => traces.All(t => all.Count(s => s.TraceId == t.TraceId && s.Kind == ReceivedSpan.KindServer) == 2
                && all.Any(s => s.TraceId == t.TraceId && s.Kind == ReceivedSpan.KindClient)),
            TimeSpan.FromSeconds(30), "server and client spans of every row");

        foreach (var (traceId, expected) in traces)
        {
            var servers = spans.Where(s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindServer).ToList();
            Assert.All(servers, server => Assert.Equal(expected, server.Attribute("url.query")));
            var client = Assert.Single(spans, s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindClient);
            var full = client.Attribute("url.full") ?? "";
            Assert.EndsWith("/hello" + expected, full);
        }
        Assert.DoesNotContain(QueryRedactionTable.Marker, Encoding.UTF8.GetString(receiver.AllBytes()));
    }
}
