using System.Globalization;
using System.Text.Json;

namespace Observability.Reports.Implementation;

/// <summary>The two calls of Prometheus's HTTP API the report needs: instant and range queries.</summary>
internal sealed class PrometheusClient(HttpClient http, string baseUrl)
{
    private const string Backend = "Prometheus";

    public async Task<IReadOnlyList<PromSeries>> QueryAsync(string promql, DateTimeOffset time, CancellationToken ct)
    {
        var url = $"{baseUrl.TrimEnd('/')}/api/v1/query?query={Uri.EscapeDataString(promql)}&time={Unix(time)}";
        using var doc = await BackendHttp.GetJsonAsync(http, Backend, url, ct);
        return Parse(doc, promql);
    }

    public async Task<IReadOnlyList<PromSeries>> QueryRangeAsync(
        string promql, DateTimeOffset start, DateTimeOffset end, TimeSpan step, CancellationToken ct)
    {
        var url = $"{baseUrl.TrimEnd('/')}/api/v1/query_range?query={Uri.EscapeDataString(promql)}" +
                  $"&start={Unix(start)}&end={Unix(end)}&step={step.TotalSeconds.ToString(CultureInfo.InvariantCulture)}";
        using var doc = await BackendHttp.GetJsonAsync(http, Backend, url, ct);
        return Parse(doc, promql);
    }

    /// <summary>Values of a label seen between start and end (to suggest test ids when one has no data).</summary>
    public async Task<IReadOnlyList<string>> LabelValuesAsync(string label, DateTimeOffset start, DateTimeOffset end, CancellationToken ct)
    {
        var url = $"{baseUrl.TrimEnd('/')}/api/v1/label/{Uri.EscapeDataString(label)}/values?start={Unix(start)}&end={Unix(end)}";
        using var doc = await BackendHttp.GetJsonAsync(http, Backend, url, ct);
        return doc.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array
            ? data.EnumerateArray().Select(v => v.GetString() ?? "").Where(v => v.Length > 0).ToList()
            : [];
    }

    /// <summary>The single value of an instant query, or null when it returned nothing (or NaN).</summary>
    public async Task<double?> ScalarAsync(string promql, DateTimeOffset time, CancellationToken ct)
    {
        var result = await QueryAsync(promql, time, ct);
        if (result.Count == 0)
        {
            return null;
        }

        var value = result[0].LastValue;
        return double.IsNaN(value) || double.IsInfinity(value) ? null : value;
    }

    private static string Unix(DateTimeOffset t) =>
        (t.ToUnixTimeMilliseconds() / 1000.0).ToString("0.###", CultureInfo.InvariantCulture);

    private static List<PromSeries> Parse(JsonDocument doc, string promql)
    {
        try
        {
            return ParseResult(doc.RootElement, promql);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            throw new BackendException(Backend, $"unexpected answer shape ({ex.Message}) for query: {promql}", ex);
        }
    }

    private static List<PromSeries> ParseResult(JsonElement root, string promql)
    {
        if (root.TryGetProperty("status", out var status) && status.GetString() != "success")
        {
            var error = root.TryGetProperty("error", out var e) ? e.GetString() : "unknown error";
            throw new BackendException(Backend, $"query failed: {error} (query: {promql})");
        }

        var data = root.GetProperty("data");
        var type = data.GetProperty("resultType").GetString();
        var result = data.GetProperty("result");
        var series = new List<PromSeries>();
        switch (type)
        {
            case "scalar":
                series.Add(new PromSeries(new Dictionary<string, string>(), [Point(result)]));
                break;
            case "vector":
            case "matrix":
                foreach (var item in result.EnumerateArray())
                {
                    var labels = new Dictionary<string, string>();
                    if (item.TryGetProperty("metric", out var metric))
                    {
                        foreach (var p in metric.EnumerateObject())
                        {
                            labels[p.Name] = p.Value.GetString() ?? "";
                        }
                    }

                    var points = new List<(double, double)>();
                    if (item.TryGetProperty("value", out var value))
                    {
                        points.Add(Point(value));
                    }
                    else if (item.TryGetProperty("values", out var values))
                    {
                        foreach (var v in values.EnumerateArray())
                        {
                            points.Add(Point(v));
                        }
                    }

                    series.Add(new PromSeries(labels, points));
                }

                break;
        }

        return series;
    }

    // Prometheus writes a sample as [unix seconds (number), "value" (string, may be "NaN" or "+Inf")].
    private static (double, double) Point(JsonElement pair) => (pair[0].GetDouble(), ParseValue(pair[1].GetString()));

    internal static double ParseValue(string? text) => text switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        null or "NaN" => double.NaN,
        _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN,
    };
}
