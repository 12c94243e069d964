using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;

namespace Stack.Tests.Implementation;

/// <summary>A short k6-like load: one token, then list requests carrying the k6 baggage and a fresh traceparent each.</summary>
internal static class LoadDriver
{
    public static async Task<IReadOnlyList<string>> RunAsync(Uri api, string testId, int rounds)
    {
        using var http = new HttpClient { BaseAddress = api, Timeout = TimeSpan.FromSeconds(30) };
        using var tokenResponse = await http.PostAsJsonAsync("auth/token", new { username = "user1", password = "articles-demo" });
        var body = await tokenResponse.Content.ReadAsStringAsync();
        if (!tokenResponse.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"POST /auth/token answered {(int)tokenResponse.StatusCode}: {body}");
        }

        var token = JsonDocument.Parse(body).RootElement.GetProperty("access_token").GetString();
        var traceIds = new List<string>();
        for (var i = 0; i < rounds; i++)
        {
            foreach (var version in new[] { "v1", "v2" })
            {
                var traceId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
                traceIds.Add(traceId);
                using var request = new HttpRequestMessage(HttpMethod.Get, $"{version}/articles?page={(i % 3) + 1}&size=10");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                request.Headers.Add("traceparent", $"00-{traceId}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01");
                request.Headers.Add("baggage", $"k6.testid={testId},k6.scenario={version},k6.name=GET%20%2F{version}%2Farticles");
                using var response = await http.SendAsync(request);
                if (!response.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"GET /{version}/articles answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
        }

        return traceIds;
    }
}
