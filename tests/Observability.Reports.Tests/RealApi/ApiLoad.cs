using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Observability.Reports.Tests.Scenario;

namespace Observability.Reports.Tests.RealApi;

/// <summary>
/// A k6-like load against the sample API: a bearer token, then list and item requests carrying the k6 baggage
/// (<c>k6.testid</c>, <c>k6.scenario</c>, <c>k6.name</c>) and a sampled <c>traceparent</c>, from a few parallel users.
/// </summary>
public sealed class ApiLoad(Uri api, MetricsApp k6Metrics) : IDisposable
{
    private readonly List<(string Name, double Seconds)> _durations = [];

    private readonly HttpClient _http = new() { BaseAddress = api, Timeout = TimeSpan.FromSeconds(60) };
    private string? _token;

    public async Task SignInAsync()
    {
        using var response = await _http.PostAsJsonAsync("auth/token", new { username = "user1", password = "articles-demo" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /auth/token answered {(int)response.StatusCode}: {body}");
        _token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString();
    }

    /// <summary>Forgets the durations of earlier runs (trend stats are per run).</summary>
    public void Reset()
    {
        lock (_durations)
        {
            _durations.Clear();
        }
    }

    /// <summary>Sends requests from <paramref name="users"/> loops until <paramref name="duration"/> has passed or
    /// <paramref name="maxRequests"/> were sent; returns how many got an answer. <paramref name="thinkTime"/>: each user's
    /// pause after an answer, as a k6 script's <c>sleep()</c>.</summary>
    public async Task<int> RunAsync(string testId, string version, int users, TimeSpan duration, int maxRequests, TimeSpan thinkTime = default)
    {
        var sent = 0;
        var clock = Stopwatch.StartNew();
        async Task User(int user)
        {
            for (var i = 0; clock.Elapsed < duration; i++)
            {
                if (Interlocked.Increment(ref sent) > maxRequests)
                {
                    Interlocked.Decrement(ref sent);
                    return;
                }

                var (path, name) = i % 4 == 3
                    ? ($"{version}/articles/{1 + ((user * 37 + i) % 3000)}", $"GET /{version}/articles/{{id}}")
                    : ($"{version}/articles?page={1 + ((user + i) % 20)}&size=10", $"GET /{version}/articles");
                using var request = new HttpRequestMessage(HttpMethod.Get, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
                request.Headers.Add("traceparent", $"00-{Hex(16)}-{Hex(8)}-01");
                request.Headers.Add("baggage", $"k6.testid={testId},k6.scenario={version},k6.name={Uri.EscapeDataString(name)}");
                var started = Stopwatch.GetTimestamp();
                using var response = await _http.SendAsync(request);
                await response.Content.LoadIntoBufferAsync();
                var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
                Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}");
                // What k6 would write: a request counter and trend stats per request name.
                k6Metrics.RecordClient(testId, name, "GET", (int)response.StatusCode, version);
                lock (_durations)
                {
                    _durations.Add((name, seconds));
                    var mine = _durations.Where(d => d.Name == name).Select(d => d.Seconds).Order().ToList();
                    double At(double q) => mine[Math.Min(mine.Count - 1, (int)Math.Ceiling(q * mine.Count) - 1)];
                    k6Metrics.SetTrend(testId, name["GET ".Length..], "GET", At(0.5), At(0.95), At(0.99), version);
                }
                if (thinkTime > TimeSpan.Zero) await Task.Delay(thinkTime);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, users).Select(User));
        return sent;
    }

    private static string Hex(int bytes) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(bytes));

    public void Dispose() => _http.Dispose();
}
