namespace Observability;

/// <summary>
/// The names the kit writes, in one place: the code side of docs/telemetry-names.md (a test holds the document to
/// this file). Compiled into the profiler (the hosting package reads it there) and into the obs report tool, whose
/// PromQL reads what the service writes, so none of them can disagree.
/// </summary>
internal static class TelemetryNames
{
    // Metrics of the request path.
    public const string HttpServerRequestDuration = "http_server_request_duration_seconds";
    public const string HttpServerActiveRequests = "http_server_active_requests";
    public const string DbClientOperationDuration = "db_client_operation_duration_seconds";

    // What the runtime's meter does not say (Hosting's RuntimeMetrics).
    public const string ThreadPoolStarvation = "dotnet_threadpool_starvation_total";
    public const string ThreadPoolThreads = "dotnet_threadpool_threads";

    // Their labels: OpenTelemetry's semantic-convention attributes as the OpenTelemetry-to-Prometheus rules write them
    // ('.' becomes '_'), so dashboards built for ASP.NET Core's own meters read them unchanged.
    public const string HttpRouteLabel = "http_route";
    public const string HttpRequestMethodLabel = "http_request_method";
    public const string HttpResponseStatusCodeLabel = "http_response_status_code";
    public const string ErrorTypeLabel = "error_type";
    public const string UrlSchemeLabel = "url_scheme";
    public const string NetworkProtocolVersionLabel = "network_protocol_version";
    public const string TestIdLabel = "testid";
    public const string DbSystemNameLabel = "db_system_name";
    public const string DbOperationNameLabel = "db_operation_name";

    /// <summary>The <see cref="HttpRouteLabel"/> value of a request that matched no endpoint.</summary>
    public const string UnmatchedRoute = "unmatched";

    /// <summary>The semantic conventions' value for a method outside the known set, and for error types beyond the cap.</summary>
    public const string OtherSemconvValue = "_OTHER";

    // The kit's own health.
    public const string SpansExported = "observability_spans_exported_total";
    public const string SpansDropped = "observability_spans_dropped_total";
    public const string ExportFailures = "observability_export_failures_total";
    public const string LogsExported = "observability_logs_exported_total";
    public const string LogsDropped = "observability_logs_dropped_total";
    public const string LoadTestLabelOverflow = "observability_loadtest_label_overflow_total";
    public const string ProfilesPushed = "observability_profiles_pushed_total";
    public const string ProfilesDropped = "observability_profiles_dropped_total";
    public const string ProfilerCpuSeconds = "observability_profiler_cpu_seconds_total";
    public const string ProfilerSamplerInfo = "observability_profiler_sampler_info";

    /// <summary>Every metric above: the kit's own series on /metrics (docs/telemetry-names.md, "The kit's own").</summary>
    public static readonly string[] KitMetrics =
    [
        HttpServerRequestDuration, HttpServerActiveRequests, DbClientOperationDuration, ThreadPoolStarvation, ThreadPoolThreads,
        SpansExported, SpansDropped, ExportFailures, LogsExported, LogsDropped, LoadTestLabelOverflow,
        ProfilesPushed, ProfilesDropped, ProfilerCpuSeconds, ProfilerSamplerInfo,
    ];

    /// <summary>Label values of <see cref="ExportFailures"/>.</summary>
    public const string SignalTraces = "traces";
    public const string SignalProfiles = "profiles";
    public const string SignalLogs = "logs";
    public const string SignalMetrics = "metrics";

    // Span attributes.
    public const string ProfileIdAttribute = "pyroscope.profile.id";
    public const string K6TestIdAttribute = "k6.testid";
    public const string K6TestRunIdAttribute = "k6.test_run_id";
    public const string K6ScenarioAttribute = "k6.scenario";
    public const string K6NameAttribute = "k6.name";

    // Pprof sample labels (Pyroscope's span-profile link and our k6 labels).
    public const string SpanIdLabel = "span_id";
    public const string TraceIdLabel = "trace_id";
    public const string K6TestIdLabel = "k6_testid";
    public const string K6ScenarioLabel = "k6_scenario";

    /// <summary>The bounded label value of a request that carries no test id or scenario.</summary>
    public const string NoValue = "none";

    /// <summary>The bounded label value of values beyond a cap.</summary>
    public const string OtherValue = "other";
}
