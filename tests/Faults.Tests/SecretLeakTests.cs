using System.Net.Http.Json;
using System.Text;
using Faults.Tests.Implementation;
using TestSupport;
using TestSupport.Otlp;

namespace Faults.Tests;

/// <summary>
/// A bearer token, a cookie, a password in a query string, SQL parameter values, the sign-in password and the
/// connection-string password go through the app; none of them may appear in any exported span, metric,
/// profile (pushed or served) or log record.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed class SecretLeakTests(PostgresFixture postgres)
{
    private const string CookieSecret = "cookie-secret-7f3a9c";
    private const string QuerySecret = "query-secret-4b2d8e";
    private const string SqlTitleSecret = "sql-param-secret-9c1e5a";
    private const string SqlBodySecret = "sql-body-secret-2d7f61";
    private const string ConnectionSecret = "conn-secret-5e8a1f";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task No_secret_reaches_spans_metrics_profiles_or_logs()
    {
        await using var collector = await FakeBackend.StartAsync(BackendMode.Accept);
        await using var pyroscope = await FakeBackend.StartAsync(BackendMode.Accept);
        var connectionString = await postgres.Server.CreateDatabaseAsync() + ";Password=" + ConnectionSecret;
        await using var host = ApiHost.Start(connectionString, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = collector.BaseAddress.ToString(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["PYROSCOPE_SERVER_ADDRESS"] = pyroscope.BaseAddress.ToString(),
        });
        var client = await ArticlesClient.SignInAsync(host.Client);
        var secrets = new Dictionary<string, string>
        {
            ["bearer token"] = client.Token,
            ["bearer token signature"] = client.Token[(client.Token.LastIndexOf('.') + 1)..],
            ["cookie"] = CookieSecret,
            ["query-string password"] = QuerySecret,
            ["SQL parameter (title)"] = SqlTitleSecret,
            ["SQL parameter (body)"] = SqlBodySecret,
            ["sign-in password"] = ArticlesClient.DemoPassword,
            ["connection-string password"] = ConnectionSecret,
        };

        using var management = new HttpClient { BaseAddress = host.ManagementAddress, Timeout = TimeSpan.FromSeconds(60) };
        // Profiles served on demand cover the window in which the secret requests run.
        var served = Task.WhenAll(new[] { "cpu", "wall", "request" }.Select(type =>
            management.GetByteArrayAsync($"/debug/pprof/profile?seconds=4&type={type}")));
        for (var i = 0; i < 10; i++)
        {
            await SendSecretsAsync(client);
        }

        var profiles = await served;

        var spans = await Eventually.ReturnsAsync(
            () => Task.FromResult(collector.Spans()),
            all => all.Any(s => s.Attributes.GetValueOrDefault("http.request.method") == "POST") && all.Any(s => s.Name.Contains("INSERT", StringComparison.OrdinalIgnoreCase) || s.Attributes.Values.Any(v => v.Contains("INSERT", StringComparison.OrdinalIgnoreCase))),
            Deadline,
            "the POST server span and its INSERT database span exported");
        await Eventually.ReturnsAsync(() => Task.FromResult(pyroscope.Bodies.Count), count => count > 0, Deadline, "a profile pushed to Pyroscope");

        var places = new Dictionary<string, string>
        {
            ["OTLP bodies"] = string.Join('\n', collector.Bodies.Select(b => Encoding.UTF8.GetString(b.Body))),
            ["decoded spans"] = string.Join('\n', spans.Select(SpanText)),
            ["/metrics"] = await Exposition.FetchAsync(host.ManagementAddress),
            ["/metrics (OpenMetrics)"] = await Exposition.FetchAsync(host.ManagementAddress, openMetrics: true),
            ["served profiles"] = string.Join('\n', profiles.SelectMany(ProfileStrings.OfPprof)),
            ["pushed profiles"] = string.Join('\n', pyroscope.Bodies.SelectMany(ProfileStrings.OfReceived)),
            ["logs"] = host.Logs.AllText,
        };
        foreach (var (place, text) in places)
        {
            Assert.False(string.IsNullOrWhiteSpace(text), $"nothing captured from {place}: the check below would prove nothing");
        }

        var leaks = (from secret in secrets
                     from place in places
                     where place.Value.Contains(secret.Value, StringComparison.Ordinal)
                     select $"{secret.Key} found in {place.Key}").ToList();
        Assert.True(leaks.Count == 0, string.Join('\n', leaks));
    }

    // Everything a span carries as text: its name, status message, attributes and its events' attributes.
    private static string SpanText(ReceivedSpan span) =>
        $"{span.Name} {span.StatusMessage} " + string.Join(' ', span.Attributes.Select(a => $"{a.Key}={a.Value}")) + " " +
        string.Join(' ', span.Events.SelectMany(e => e.Attributes.Select(a => $"event.{e.Name}.{a.Key}={a.Value}")));

    private static async Task SendSecretsAsync(ArticlesClient client)
    {
        using (var list = await client.SendAsync(client.Get($"{ArticlesClient.ListPath}&password={QuerySecret}",
                   ("Cookie", $"session={CookieSecret}"), ("baggage", "k6.testid=secrets"))))
        {
            Assert.Equal(200, (int)list.StatusCode);
        }

        using var post = new HttpRequestMessage(HttpMethod.Post, "/v1/articles")
        {
            Content = JsonContent.Create(new { title = SqlTitleSecret, body = SqlBodySecret, tags = new[] { "faults" } }),
        };
        post.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", client.Token);
        post.Headers.TryAddWithoutValidation("Cookie", $"session={CookieSecret}");
        using var created = await client.Http.SendAsync(post);
        Assert.Equal(201, (int)created.StatusCode);
    }
}
