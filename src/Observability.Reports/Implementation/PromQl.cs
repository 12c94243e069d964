using System.Globalization;

namespace Observability.Reports.Implementation;

/// <summary>Builds the PromQL the report runs; every expression is scoped to one test id.</summary>
internal static class PromQl
{
    public const string K6Requests = "k6_http_reqs_total";
    public const string K6DurationNative = "k6_http_req_duration_seconds";
    public const string K6DurationStatPrefix = "k6_http_req_duration_";
    public const string ServerDuration = TelemetryNames.HttpServerRequestDuration;
    public const string ServerCount = ServerDuration + "_count";
    public const string ServerSum = ServerDuration + "_sum";
    public const string ServerBucket = ServerDuration + "_bucket";
    public const string TestIdLabel = TelemetryNames.TestIdLabel;

    // The server histogram's semantic-convention labels (docs/telemetry-names.md).
    public const string RouteLabel = TelemetryNames.HttpRouteLabel;
    public const string MethodLabel = TelemetryNames.HttpRequestMethodLabel;

    /// <summary>The matcher of server errors: any 5xx status code.</summary>
    public const string ServerErrorMatcher = TelemetryNames.HttpResponseStatusCodeLabel + "=~\"5..\"";

    /// <summary><c>metric{testid="ID",extra}</c> with the id escaped as a PromQL string.</summary>
    public static string Select(string metric, string testId, string? extraMatchers = null) =>
        $"{metric}{{{TestIdLabel}=\"{Escape(testId)}\"{(string.IsNullOrEmpty(extraMatchers) ? "" : "," + extraMatchers)}}}";

    public static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n");

    /// <summary>A range duration in whole seconds, at least one.</summary>
    public static string Duration(TimeSpan span) =>
        Math.Max(1, (long)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture) + "s";

    /// <summary>
    /// How much a counter grew during the window that ends at the evaluation time: its last value in the window
    /// minus its last value before the window (absent before = 0). Unlike increase() this does not extrapolate,
    /// so request counts stay whole numbers. Counter resets inside the window are not handled.
    /// </summary>
    public static string WindowDelta(string selector, TimeSpan window, string by = "")
    {
        var d = Duration(window);
        var grouping = by.Length == 0 ? "sum" : $"sum by ({by})";
        var atEnd = $"{grouping} (last_over_time({selector}[{d}]))";
        var beforeStart = $"{grouping} (last_over_time({selector}[{d}] offset {d}))";
        // Series born inside the window have no value before it: "or" keeps them as they are.
        return $"(({atEnd}) - ({beforeStart})) or ({atEnd})";
    }

    public static string Quantile(double q, string bucketsByLe) =>
        $"histogram_quantile({q.ToString(CultureInfo.InvariantCulture)}, {bucketsByLe})";

    /// <summary>The rate window of the charts: four scrapes (as Grafana's $__rate_interval) and at least four steps.</summary>
    public static TimeSpan RateWindow(TimeSpan step, TimeSpan scrapeInterval) =>
        TimeSpan.FromSeconds(Math.Max(4 * scrapeInterval.TotalSeconds, 4 * step.TotalSeconds));

    /// <summary>A chart step giving about 200 points over the window.</summary>
    public static TimeSpan ChartStep(TimeSpan window) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(window.TotalSeconds / 200)));
}
