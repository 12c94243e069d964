using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Faults.Tests.Implementation;

/// <summary>Signs in to Articles.Api and sends the requests the tests use.</summary>
internal sealed class ArticlesClient(HttpClient client)
{
    public const string DemoUser = "user1";
    public const string DemoPassword = "articles-demo";
    public const string ListPath = "/v2/articles?page=1&size=5";

    public string Token { get; private set; } = "";

    public HttpClient Http => client;

    public static async Task<ArticlesClient> SignInAsync(HttpClient client)
    {
        var articles = new ArticlesClient(client);
        using var response = await client.PostAsJsonAsync("/auth/token", new { username = DemoUser, password = DemoPassword });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /auth/token answered {(int)response.StatusCode}: {body}");
        using var json = JsonDocument.Parse(body);
        foreach (var name in new[] { "access_token", "accessToken", "token" })
        {
            if (json.RootElement.TryGetProperty(name, out var token))
            {
                articles.Token = token.GetString() ?? "";
            }
        }

        Assert.False(string.IsNullOrEmpty(articles.Token), "no token in " + body);
        return articles;
    }

    /// <summary>A GET with the bearer token and optional extra headers (added without validation).</summary>
    public HttpRequestMessage Get(string pathAndQuery, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, pathAndQuery);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using (request)
        {
            return await client.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>
    /// Sends <paramref name="count"/> list requests, <paramref name="concurrency"/> at a time; returns the status codes
    /// and the slowest request's time. A request that throws is reported as status 0.
    /// </summary>
    public async Task<(IReadOnlyList<int> Statuses, TimeSpan Slowest)> LoadAsync(int count, int concurrency, string path = ListPath,
        params (string Name, string Value)[] headers)
    {
        var statuses = new int[count];
        var slowestTicks = 0L;
        var next = -1;
        var workers = Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    using var response = await SendAsync(Get(path, headers));
                    await response.Content.LoadIntoBufferAsync();
                    statuses[i] = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    statuses[i] = 0;
                }
                catch (TaskCanceledException)
                {
                    statuses[i] = 0;
                }

                var elapsed = System.Diagnostics.Stopwatch.GetElapsedTime(started).Ticks;
                long seen;
                while (elapsed > (seen = Interlocked.Read(ref slowestTicks)) && Interlocked.CompareExchange(ref slowestTicks, elapsed, seen) != seen)
                {
                }
            }
        });
        await Task.WhenAll(workers);
        return (statuses, TimeSpan.FromTicks(slowestTicks));
    }
}
