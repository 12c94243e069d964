using System.Net;
using System.Text.Json;

namespace Articles.Api.Tests.Infrastructure;

/// <summary>What an error answer may show: problem details with its status, and nothing of the failure behind it.</summary>
internal static class ProblemAssert
{
    /// <summary>
    /// Asserts a problem-details answer with <paramref name="status"/> and no stack trace, exception type or any of
    /// <paramref name="hidden"/> (case-insensitive) in its body; returns the body.
    /// </summary>
    public static async Task<string> BareAsync(HttpResponseMessage response, string path, HttpStatusCode status, params string[] hidden)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{path}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(body);
        Assert.Equal((int)status, json.RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain(" at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.OrdinalIgnoreCase);
        foreach (var word in hidden)
            Assert.DoesNotContain(word, body, StringComparison.OrdinalIgnoreCase);
        return body;
    }
}
