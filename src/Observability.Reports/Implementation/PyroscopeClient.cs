using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>Pyroscope's <c>GET /pyroscope/render</c>: one merged profile of a type and label selector over a window.</summary>
internal sealed class PyroscopeClient(HttpClient http, string baseUrl)
{
    private const string Backend = "Pyroscope";

    public async Task<ProfileData?> RenderAsync(
        string profileTypeId, string labelSelector, DateTimeOffset from, DateTimeOffset until, int maxNodes, CancellationToken ct)
    {
        // 13-digit from/until are read as milliseconds.
        var url = $"{baseUrl.TrimEnd('/')}/pyroscope/render?query={Uri.EscapeDataString(profileTypeId + labelSelector)}" +
                  $"&from={from.ToUnixTimeMilliseconds()}&until={until.ToUnixTimeMilliseconds()}&maxNodes={maxNodes}&format=json";
        using var doc = await BackendHttp.GetJsonAsync(http, Backend, url, ct);
        List<StackSample> stacks;
        long numTicks;
        try
        {
            (stacks, numTicks) = FlamebearerDecoder.FromRenderJson(doc.RootElement);
        }
        catch (Exception ex) when (ex is FormatException or InvalidOperationException or KeyNotFoundException)
        {
            throw new BackendException(Backend, $"unexpected render answer for {profileTypeId}: {ex.Message}", ex);
        }

        if (numTicks == 0 && stacks.Count == 0)
        {
            return null;
        }

        var parts = profileTypeId.Split(':');
        return new ProfileData
        {
            ProfileTypeId = profileTypeId,
            Unit = parts.Length > 2 ? parts[2] : "",
            Total = numTicks,
            Stacks = stacks,
        };
    }
}
