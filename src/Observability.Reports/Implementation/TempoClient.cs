using System.Globalization;
using System.Text.Json;

namespace Observability.Reports.Implementation;

/// <summary>
/// Tempo's <c>GET /api/search</c> with TraceQL. The answer is protobuf JSON: 64-bit numbers (start times, span
/// durations) arrive as strings, empty fields are left out, and span sets are under <c>spanSets</c>.
/// </summary>
internal sealed class TempoClient(HttpClient http, string baseUrl)
{
    private const string Backend = "Tempo";

    public async Task<IReadOnlyList<TempoTrace>> SearchAsync(
        string traceQl, DateTimeOffset start, DateTimeOffset end, int limit, int spansPerSpanSet, CancellationToken ct)
    {
        // start/end are unix seconds; without them Tempo searches only recent data.
        var url = $"{baseUrl.TrimEnd('/')}/api/search?q={Uri.EscapeDataString(traceQl)}" +
                  $"&start={start.ToUnixTimeSeconds()}&end={end.ToUnixTimeSeconds() + 1}&limit={limit}&spss={spansPerSpanSet}";
        using var doc = await BackendHttp.GetJsonAsync(http, Backend, url, ct);
        return Parse(doc.RootElement);
    }

    internal static List<TempoTrace> Parse(JsonElement root)
    {
        var traces = new List<TempoTrace>();
        if (!root.TryGetProperty("traces", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return traces;
        }

        foreach (var t in items.EnumerateArray())
        {
            var spans = new List<TempoSpan>();
            if (t.TryGetProperty("spanSets", out var sets) && sets.ValueKind == JsonValueKind.Array)
            {
                foreach (var set in sets.EnumerateArray())
                {
                    AddSpans(set, spans);
                }
            }
            else if (t.TryGetProperty("spanSet", out var single))
            {
                AddSpans(single, spans);
            }

            traces.Add(new TempoTrace(
                Str(t, "traceID"), Str(t, "rootServiceName"), Str(t, "rootTraceName"),
                Int64(t, "startTimeUnixNano"), Double(t, "durationMs"), spans));
        }

        return traces;
    }

    private static void AddSpans(JsonElement set, List<TempoSpan> into)
    {
        if (!set.TryGetProperty("spans", out var spans) || spans.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var s in spans.EnumerateArray())
        {
            var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            if (s.TryGetProperty("attributes", out var attrs) && attrs.ValueKind == JsonValueKind.Array)
            {
                foreach (var a in attrs.EnumerateArray())
                {
                    if (a.TryGetProperty("key", out var key) && a.TryGetProperty("value", out var value))
                    {
                        attributes[key.GetString() ?? ""] = AnyValue(value);
                    }
                }
            }

            into.Add(new TempoSpan(Str(s, "spanID"), Str(s, "name"), Int64(s, "startTimeUnixNano"), Int64(s, "durationNanos"), attributes));
        }
    }

    // OTLP AnyValue: one of stringValue, intValue (a string), doubleValue, boolValue.
    private static string AnyValue(JsonElement value)
    {
        foreach (var p in value.EnumerateObject())
        {
            return p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText();
        }

        return "";
    }

    private static string Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    // uint64 fields are strings in protobuf JSON; accept plain numbers too.
    private static long Int64(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v))
        {
            return 0;
        }

        return v.ValueKind switch
        {
            JsonValueKind.String when ulong.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var u) => (long)Math.Min(u, long.MaxValue),
            JsonValueKind.Number when v.TryGetInt64(out var n) => n,
            _ => 0,
        };
    }

    private static double Double(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : 0;
}
