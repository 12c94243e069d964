using System.Diagnostics;

namespace Observability.Hosting.Tests.Infrastructure;

/// <summary>Requests that continue a trace the test chose, as a traced caller's would: the test then finds its spans by id.</summary>
internal static class TracedRequest
{
    public static string NewTraceId() => ActivityTraceId.CreateRandom().ToHexString();

    /// <summary>
    /// A GET of <paramref name="path"/> with a W3C <c>traceparent</c>: <paramref name="traceId"/>, the caller's span
    /// (<paramref name="parentSpanId"/>, or a fresh one) and the sampled flag.
    /// </summary>
    public static HttpRequestMessage Get(string path, string traceId, bool sampled = true, string? parentSpanId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        var parent = parentSpanId ?? ActivitySpanId.CreateRandom().ToHexString();
        request.Headers.Add("traceparent", $"00-{traceId}-{parent}-{(sampled ? "01" : "00")}");
        return request;
    }

    /// <summary>Sends a traced GET (see <see cref="Get"/>) that must succeed; returns its trace id, a fresh one unless given.</summary>
    public static async Task<string> GetTracedAsync(this HttpClient client, string path, string? traceId = null, bool sampled = true)
    {
        traceId ??= NewTraceId();
        using var request = Get(path, traceId, sampled);
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return traceId;
    }
}
