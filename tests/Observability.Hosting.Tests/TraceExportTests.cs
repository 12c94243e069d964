using System.Diagnostics;
using System.Text;
using Observability.Hosting.Tests.Infrastructure;
using TestSupport.Otlp;

namespace Observability.Hosting.Tests;

/// <summary>
/// A real Kestrel app against a real PostgreSQL, exporting over OTLP (HTTP/protobuf and gRPC) to a receiver
/// in the test that decodes the protobuf: spans, parents, route, statement, k6 attributes, and no secrets.
/// </summary>
public sealed class TraceExportTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private const string BearerSecret = "bearer-secret-3e1";
    private const string CookieSecret = "cookie-secret-a90";
    private const string QuerySecret = "query-secret-c47";

    [Theory]
    [MemberData(nameof(ExportSettings.Protocols), MemberType = typeof(ExportSettings))]
    public async Task Server_and_Npgsql_spans_arrive_with_parent_route_statement_and_k6_attributes(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(
            receiver.ExportingTo(protocol, (ObservabilityConfigKeys.ServiceName, "trace-export-test")), postgres.ConnectionString);

        var traceId = TracedRequest.NewTraceId();
        var callerSpanId = ActivitySpanId.CreateRandom().ToHexString();
        using var request = TracedRequest.Get($"/items/42?page=2&api_key={QuerySecret}&Access_Token={QuerySecret}", traceId, parentSpanId: callerSpanId);
        request.Headers.Add("baggage", "k6.testid=run-17,k6.scenario=browse%20articles,k6.name=GET%20%2Fitems,other=1");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + BearerSecret);
        request.Headers.TryAddWithoutValidation("Cookie", "session=" + CookieSecret);
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);

        host.FlushTraces();
        var spans = await receiver.WaitForSpansAsync(
            all => all.Any(s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindServer)
                && all.Any(s => s.TraceId == traceId && IsPostgres(s)),
            TimeSpan.FromSeconds(30), "trace " + traceId);

        var server = Assert.Single(spans, s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindServer);
        Assert.Equal(callerSpanId, server.ParentSpanId);
        Assert.Equal("/items/{id:int}", server.Attribute("http.route"));
        Assert.Equal("GET /items/{id:int}", server.Name);
        Assert.Equal("run-17", server.Attribute("k6.testid"));
        Assert.Equal("browse articles", server.Attribute("k6.scenario"));
        Assert.Equal("GET /items", server.Attribute("k6.name"));
        Assert.Null(server.Attribute("other"));
        Assert.Equal("trace-export-test", server.Resource["service.name"]);
        Assert.Equal("?page=REDACTED&api_key=REDACTED&Access_Token=REDACTED", server.Attribute("url.query"));

        var db = Assert.Single(spans, s => s.TraceId == traceId && IsPostgres(s) && s.Name != "CONNECT" && !s.Name.StartsWith("CONNECT ", StringComparison.Ordinal));
        Assert.Equal(server.SpanId, db.ParentSpanId);
        Assert.Equal(ReceivedSpan.KindClient, db.Kind);
        var statement = db.Attribute("db.statement") ?? db.Attribute("db.query.text") ?? "";
        Assert.Contains("SELECT $1::int AS id", statement);
        Assert.Contains("$2::text", statement);
        Assert.DoesNotContain(TestHost.SecretLiteral, statement);
        Assert.Null(db.Attribute("db.connection_string"));

        var exported = Encoding.UTF8.GetString(receiver.AllBytes());
        foreach (var secret in new[] { BearerSecret, CookieSecret, QuerySecret, TestHost.SecretParameterValue, TestHost.SecretLiteral, "pg-conn-secret-55d" })
            Assert.DoesNotContain(secret, exported);
    }

    [Fact]
    public async Task Health_and_management_paths_are_not_traced()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo());
        var healthTrace = await host.Client.GetTracedAsync("/health");
        await host.ScrapeAsync();
        var helloTrace = await host.Client.GetTracedAsync("/hello");

        host.FlushTraces();
        var spans = await receiver.WaitForSpansAsync(all => all.Any(s => s.TraceId == helloTrace), TimeSpan.FromSeconds(30), "the /hello span");
        Assert.DoesNotContain(spans, s => s.TraceId == healthTrace);
        Assert.DoesNotContain(spans, s => s.Attribute("url.path") == "/metrics");
    }

    private static bool IsPostgres(ReceivedSpan span) => (span.Attribute("db.system") ?? span.Attribute("db.system.name")) == "postgresql";
}
