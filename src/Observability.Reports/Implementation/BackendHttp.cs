using System.Net.Sockets;
using System.Text.Json;

namespace Observability.Reports.Implementation;

/// <summary>GETs JSON from a backend and turns transport failures into one clear <see cref="BackendException"/>.</summary>
internal static class BackendHttp
{
    // Answers are read whole, so they are capped: a runaway answer must not exhaust memory.
    private const int MaxResponseBytes = 64 * 1024 * 1024;

    public static async Task<JsonDocument> GetJsonAsync(HttpClient http, string backend, string url, CancellationToken ct)
    {
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException || ex.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new BackendException(backend, $"unreachable at {BaseOf(url)} ({ex.Message}). Is the stack running, or is the address wrong?", ex);
        }
        catch (HttpRequestException ex)
        {
            throw new BackendException(backend, $"request to {BaseOf(url)} failed: {ex.Message}", ex);
        }
        catch (TaskCanceledException ex) when (!ct.IsCancellationRequested)
        {
            throw new BackendException(backend, $"no answer from {BaseOf(url)} within {http.Timeout.TotalSeconds:0} s", ex);
        }

        using (response)
        {
            var body = await ReadBoundedAsync(response, backend, ct);
            if (!response.IsSuccessStatusCode)
            {
                var snippet = body.Length > 300 ? body[..300] + "…" : body;
                throw new BackendException(backend, $"HTTP {(int)response.StatusCode} from {StripQuery(url)}: {snippet.Trim()}");
            }

            try
            {
                return JsonDocument.Parse(body);
            }
            catch (JsonException ex)
            {
                throw new BackendException(backend, $"answer from {StripQuery(url)} is not JSON ({ex.Message})", ex);
            }
        }
    }

    private static async Task<string> ReadBoundedAsync(HttpResponseMessage response, string backend, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > MaxResponseBytes)
        {
            throw new BackendException(backend, $"answer larger than {MaxResponseBytes / 1024 / 1024} MiB");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxResponseBytes)
            {
                throw new BackendException(backend, $"answer larger than {MaxResponseBytes / 1024 / 1024} MiB");
            }

            buffer.Write(chunk, 0, read);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static string BaseOf(string url) => Uri.TryCreate(url, UriKind.Absolute, out var u) ? u.GetLeftPart(UriPartial.Authority) : url;

    private static string StripQuery(string url) => url.Split('?')[0];
}
