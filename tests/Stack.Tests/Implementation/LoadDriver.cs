using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Stack.Tests.Implementation;

/// <summary>A short k6-like load: one token, then list requests carrying the k6 baggage and a fresh traceparent each.</summary>
internal sealed class LoadDriver : IDisposable
{
    private readonly HttpClient _http;
    private readonly string _testId;
    private readonly List<string> _traceIds = [];
    private string? _token;

    public LoadDriver(Uri api, string testId)
    {
        _http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        _testId = testId;
    }

    /// <summary>Trace ids of every request sent so far (each request started a trace of its own).</summary>
    public IReadOnlyList<string> TraceIds => _traceIds;

    public async Task SignInAsync()
    {
        using var response = await _http.PostAsJsonAsync("auth/token", new { username = "user1", password = "articles-demo" });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /auth/token answered {(int)response.StatusCode}: {body}");
        }

        _token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString();
    }

    /// <summary>Sends <paramref name="rounds"/> pairs of GET /v1/articles and GET /v2/articles.</summary>
    public async Task SendAsync(int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            foreach (var version in new[] { "v1", "v2" })
            {
                var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                _traceIds.Add(traceId);
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{version}/articles?page={(i % 3) + 1}&size=10");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
                request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
                request.Headers.Add("baggage", $"k6.testid={_testId},k6.scenario={version},k6.name=GET%20%2F{version}%2Farticles");
                using var response = await _http.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"GET /{version}/articles answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        }
    }

    public void Dispose() => _http.Dispose();
}
