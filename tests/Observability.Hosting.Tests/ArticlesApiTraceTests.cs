using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Observability.Hosting.Tests.Infrastructure;
using TestSupport.Otlp;
using OpenTelemetry.Trace;
using TestSupport;

namespace Observability.Hosting.Tests;

/// <summary>
/// The sample service with its one line, on real Kestrel against a real PostgreSQL: a k6-tagged, authenticated
/// request produces a server span and Npgsql spans under it, and the bearer token appears nowhere in the export.
/// </summary>
public sealed class ArticlesApiTraceTests
{
    [Fact]
    public async Task Articles_api_exports_server_and_database_spans_without_the_token()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var connectionString = await postgres.CreateDatabaseAsync("articles");
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var factory = new ArticlesApiFactory(new Dictionary<string, string?>(
            new SeedSize(Users: 5, Articles: 20, Comments: 60, Likes: 60, Tags: 5).Settings().Concat(receiver.ExportingTo()))
        {
            ["ConnectionStrings:Articles"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            [ObservabilityConfigKeys.ManagementPort] = "0",
            [ObservabilityConfigKeys.ProfilingEnabled] = "false",
            [ObservabilityConfigKeys.ServiceName] = "articles-api-under-test",
        });
        factory.StartServer();
        using var client = factory.CreateDefaultClient(new UntracedHandler());

        string token;
        using (var tokenResponse = await client.PostAsJsonAsync("/auth/token", new { username = "user1", password = "articles-demo" }))
        {
            var body = await tokenResponse.Content.ReadAsStringAsync();
            Assert.True(tokenResponse.IsSuccessStatusCode, body);
            using var json = JsonDocument.Parse(body);
            token = json.RootElement.GetProperty("access_token").GetString()!;
        }

        var traceId = TracedRequest.NewTraceId();
        using (var request = TracedRequest.Get("/v2/articles?page=1&size=5", traceId))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Add("baggage", "k6.test_run_id=articles-run,k6.scenario=list,k6.name=GET%20%2Fv2%2Farticles");
            using var response = await client.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        factory.Services.GetRequiredService<TracerProvider>().ForceFlush(15000);
        var spans = await receiver.WaitForSpansAsync(
            all => all.Any(s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindServer)
                && all.Any(s => s.TraceId == traceId && (s.Attribute("db.system") ?? s.Attribute("db.system.name")) == "postgresql"),
            TimeSpan.FromSeconds(30), "articles trace");

        var trace = spans.Where(s => s.TraceId == traceId).ToList();
        var server = Assert.Single(trace, s => s.Kind == ReceivedSpan.KindServer);
        Assert.Equal("/v2/articles", server.Attribute("http.route")?.TrimEnd('/'));
        Assert.Equal("articles-run", server.Attribute("k6.testid"));
        Assert.Equal("articles-run", server.Attribute("k6.test_run_id"));
        Assert.Equal("list", server.Attribute("k6.scenario"));
        Assert.Equal("GET /v2/articles", server.Attribute("k6.name"));
        Assert.Equal("articles-api-under-test", server.Resource["service.name"]);

        var queries = trace.Where(s => (s.Attribute("db.statement") ?? s.Attribute("db.query.text")) is not null).ToList();
        Assert.NotEmpty(queries);
        foreach (var query in queries)
            Assert.True(DescendsFrom(query, server, trace), $"{query.Name} is not under the server span");
        Assert.Contains(queries, q => (q.Attribute("db.statement") ?? q.Attribute("db.query.text"))!.Contains("SELECT", StringComparison.OrdinalIgnoreCase));
        // The kit names DB spans after operation and table (Npgsql names them after the database system).
        Assert.Contains(queries, q => q.Name == "postgresql SELECT articles");

        var exported = Encoding.UTF8.GetString(receiver.AllBytes());
        Assert.DoesNotContain(token, exported);
        Assert.DoesNotContain(token.Split('.')[2], exported); // not even the signature alone
        Assert.DoesNotContain("articles-demo", exported);
    }

    private static bool DescendsFrom(ReceivedSpan span, ReceivedSpan ancestor, List<ReceivedSpan> trace)
    {
        var current = span;
        for (var depth = 0; depth < 32 && current is not null; depth++)
        {
            if (current.ParentSpanId == ancestor.SpanId) return true;
            current = trace.FirstOrDefault(s => s.SpanId == current.ParentSpanId);
        }
        return false;
    }

    private sealed class ArticlesApiFactory : WebApplicationFactory<Program>
    {
        private readonly IReadOnlyDictionary<string, string?> _settings;

        public ArticlesApiFactory(IReadOnlyDictionary<string, string?> settings)
        {
            _settings = settings;
            UseKestrel(0);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Development");
            foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        }
    }
}
