namespace Observability.Hosting;

/// <summary>
/// Every configuration key and standard environment variable the package reads. Keys are read through
/// <see cref="Microsoft.Extensions.Configuration.IConfiguration"/>, so environment variables such as
/// <c>Observability__Otlp__Endpoint</c> work as well. Where a standard variable and a section key name the same
/// setting, the standard variable wins.
/// </summary>
public static class ObservabilityConfigKeys
{
    /// <summary>The configuration section of the package.</summary>
    public const string Section = "Observability";

    /// <summary>Master switch (<c>true</c>/<c>false</c>, default true).</summary>
    public const string Enabled = "Observability:Enabled";
    /// <summary>The <c>service.name</c> resource attribute; defaults to the application name.</summary>
    public const string ServiceName = "Observability:ServiceName";
    /// <summary>Extra resource attributes, one child key per attribute.</summary>
    public const string ResourceAttributes = "Observability:ResourceAttributes";

    /// <summary>OTLP collector base address (<c>http://collector:4317</c>); without it traces are not exported.</summary>
    public const string OtlpEndpoint = "Observability:Otlp:Endpoint";
    /// <summary>OTLP protocol: <c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public const string OtlpProtocol = "Observability:Otlp:Protocol";

    /// <summary>Sampler name as in <c>OTEL_TRACES_SAMPLER</c> (default <c>parentbased_always_on</c>).</summary>
    public const string TracingSampler = "Observability:Tracing:Sampler";
    /// <summary>Sampler argument, a ratio from 0 to 1.</summary>
    public const string TracingSamplerArg = "Observability:Tracing:SamplerArg";
    /// <summary>Extra <c>ActivitySource</c> names to trace (children, or one comma-separated value).</summary>
    public const string TracingSources = "Observability:Tracing:Sources";
    /// <summary>Extra <c>Meter</c> names to publish on <c>/metrics</c> (children, or one comma-separated value; <c>Name.*</c> for a prefix).</summary>
    public const string MetricsMeters = "Observability:Metrics:Meters";

    /// <summary>
    /// Where metrics go, as <c>OTEL_METRICS_EXPORTER</c> (which wins): <c>prometheus</c>, <c>otlp</c>, both
    /// comma-separated, or <c>none</c>. Default <c>prometheus</c>.
    /// </summary>
    public const string MetricsExporter = "Observability:Metrics:Exporter";

    /// <summary>Export <c>ILogger</c> records over OTLP when an endpoint is configured (default true).</summary>
    public const string LogsEnabled = "Observability:Logs:Enabled";
    /// <summary>Export logging scopes as log record attributes (default false).</summary>
    public const string LogsIncludeScopes = "Observability:Logs:IncludeScopes";

    /// <summary>
    /// Query keys whose values are kept on spans and log records (children, or one comma-separated value); every
    /// other query value is redacted. Case-sensitive; credential-like names are refused.
    /// </summary>
    public const string RedactionQueryAllowList = "Observability:Redaction:QueryAllowList";

    /// <summary>Serve <c>/metrics</c> and <c>/debug/pprof</c> on the management port (default true).</summary>
    public const string ManagementEnabled = "Observability:Management:Enabled";
    /// <summary>Management port (default 9464; 0 picks a free one).</summary>
    public const string ManagementPort = "Observability:Management:Port";
    /// <summary>Management listen address: an IP, <c>localhost</c> or <c>*</c> (default loopback, all interfaces in containers).</summary>
    public const string ManagementAddress = "Observability:Management:Address";
    /// <summary>Also answer the management paths on the public port (default false; a documented risk).</summary>
    public const string ManagementPublicPortExposure = "Observability:Management:PublicPortExposure";

    /// <summary>Distinct k6 test ids kept as metric and profile labels before folding into <c>other</c> (1 to 1000, default 20).</summary>
    public const string LoadTestMaxTestIds = "Observability:LoadTest:MaxTestIds";
    /// <summary>Distinct k6 scenarios kept as labels (1 to 1000).</summary>
    public const string LoadTestMaxScenarios = "Observability:LoadTest:MaxScenarios";
    /// <summary>Idle time after which a test id or scenario gives its label to a newer one (<c>hh:mm:ss</c> or seconds, 1 s to 1 day, default 10 min).</summary>
    public const string LoadTestLabelIdleTimeout = "Observability:LoadTest:LabelIdleTimeout";

    /// <summary>The always-on profiler (default true).</summary>
    public const string ProfilingEnabled = "Observability:Profiling:Enabled";
    /// <summary>Pyroscope base address; <c>PYROSCOPE_SERVER_ADDRESS</c> wins.</summary>
    public const string ProfilingServerAddress = "Observability:Profiling:ServerAddress";
    /// <summary>Profile <c>service_name</c>; <c>PYROSCOPE_APPLICATION_NAME</c> wins; defaults to the service name.</summary>
    public const string ProfilingApplicationName = "Observability:Profiling:ApplicationName";
    /// <summary>Static profile series labels, one child key per label; <c>PYROSCOPE_LABELS</c> adds to them.</summary>
    public const string ProfilingLabels = "Observability:Profiling:Labels";
    /// <summary>Basic-auth user of the push; <c>PYROSCOPE_BASIC_AUTH_USER</c> wins.</summary>
    public const string ProfilingBasicAuthUser = "Observability:Profiling:BasicAuthUser";
    /// <summary>Basic-auth password of the push; <c>PYROSCOPE_BASIC_AUTH_PASSWORD</c> wins.</summary>
    public const string ProfilingBasicAuthPassword = "Observability:Profiling:BasicAuthPassword";
    /// <summary>Tenant sent as <c>X-Scope-OrgID</c>; <c>PYROSCOPE_TENANT_ID</c> wins.</summary>
    public const string ProfilingTenantId = "Observability:Profiling:TenantId";
    /// <summary>Push interval (<c>hh:mm:ss</c> or seconds, 1 s to 10 min, default 15 s).</summary>
    public const string ProfilingUploadInterval = "Observability:Profiling:UploadInterval";
    /// <summary>Timeout of one push (100 ms to 2 min, default 10 s).</summary>
    public const string ProfilingUploadTimeout = "Observability:Profiling:UploadTimeout";
    /// <summary>Profiles waiting for upload before the oldest is dropped (1 to 1000, default 6).</summary>
    public const string ProfilingUploadQueueCapacity = "Observability:Profiling:UploadQueueCapacity";
    /// <summary>Largest <c>seconds</c> of the debug endpoints (1 to 3600, default 60).</summary>
    public const string ProfilingMaxSecondsPerRequest = "Observability:Profiling:MaxSecondsPerRequest";
    /// <summary>Older spelling of <see cref="ProfilingMode"/> = <c>off</c>: <c>false</c> turns the CPU and wall samplers off.</summary>
    public const string ProfilingSamplerEnabled = "Observability:Profiling:SamplerEnabled";
    /// <summary>When the CPU and wall sampler runs: <c>auto</c> (default: bursts, dense during k6 tests, on demand), <c>continuous</c> or <c>off</c>.</summary>
    public const string ProfilingMode = "Observability:Profiling:Mode";
    /// <summary>Which mechanism takes CPU samples: <c>auto</c> (default: perf events where the kernel allows them, else EventPipe bursts), <c>perf</c> or <c>eventpipe</c>.</summary>
    public const string ProfilingCpuSampler = "Observability:Profiling:CpuSampler";
    /// <summary>Length of one sampling burst in auto mode (100 ms to 60 s; default 1 s without <c>DOTNET_EventPipeThreadSamplingRate</c>, 2 s with it).</summary>
    public const string ProfilingBurstDuration = "Observability:Profiling:BurstDuration";
    /// <summary>Start-to-start time of sampling bursts in auto mode (1 s to 1 h, default 5 min; longer than the burst).</summary>
    public const string ProfilingBurstPeriod = "Observability:Profiling:BurstPeriod";
    /// <summary>The request-time profile built from spans (default true).</summary>
    public const string ProfilingRequestTimeProfileEnabled = "Observability:Profiling:RequestTimeProfileEnabled";
    /// <summary>Distinct stacks per profile window (100 to 16000, default 10000).</summary>
    public const string ProfilingMaxStacksPerProfile = "Observability:Profiling:MaxStacksPerProfile";
    /// <summary>Deepest stack kept (8 to 1024, default 256).</summary>
    public const string ProfilingMaxStackDepth = "Observability:Profiling:MaxStackDepth";

    // Standard OpenTelemetry variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
    /// <summary><c>true</c> turns the whole package off.</summary>
    public const string OtelSdkDisabled = "OTEL_SDK_DISABLED";
    /// <summary>Standard service name; wins over <see cref="ServiceName"/>.</summary>
    public const string OtelServiceName = "OTEL_SERVICE_NAME";
    /// <summary>Standard resource attributes, <c>k1=v1,k2=v2</c>.</summary>
    public const string OtelResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
    /// <summary>Standard OTLP base endpoint; wins over <see cref="OtlpEndpoint"/>.</summary>
    public const string OtelExporterOtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    /// <summary>Standard OTLP traces endpoint, used as is.</summary>
    public const string OtelExporterOtlpTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    /// <summary>Standard OTLP logs endpoint, used as is.</summary>
    public const string OtelExporterOtlpLogsEndpoint = "OTEL_EXPORTER_OTLP_LOGS_ENDPOINT";
    /// <summary>Standard OTLP metrics endpoint, used as is.</summary>
    public const string OtelExporterOtlpMetricsEndpoint = "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT";
    /// <summary>Standard OTLP protocol; wins over <see cref="OtlpProtocol"/>.</summary>
    public const string OtelExporterOtlpProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
    /// <summary>
    /// Standard OTLP request headers of every signal, <c>k1=v1,k2=v2</c> (percent-encoded): read, checked and handed to
    /// the exporter by the kit, from any configuration source.
    /// </summary>
    public const string OtelExporterOtlpHeaders = "OTEL_EXPORTER_OTLP_HEADERS";
    /// <summary>Standard OTLP headers of trace exports; when set, used instead of <see cref="OtelExporterOtlpHeaders"/>.</summary>
    public const string OtelExporterOtlpTracesHeaders = "OTEL_EXPORTER_OTLP_TRACES_HEADERS";
    /// <summary>Standard OTLP headers of log exports; when set, used instead of <see cref="OtelExporterOtlpHeaders"/>.</summary>
    public const string OtelExporterOtlpLogsHeaders = "OTEL_EXPORTER_OTLP_LOGS_HEADERS";
    /// <summary>Standard OTLP headers of metric exports; when set, used instead of <see cref="OtelExporterOtlpHeaders"/>.</summary>
    public const string OtelExporterOtlpMetricsHeaders = "OTEL_EXPORTER_OTLP_METRICS_HEADERS";
    /// <summary>Standard OTLP compression of every signal: <c>none</c> (default) or <c>gzip</c>.</summary>
    public const string OtelExporterOtlpCompression = "OTEL_EXPORTER_OTLP_COMPRESSION";
    /// <summary>Standard OTLP export timeout in milliseconds (1 to 600000; default 10000).</summary>
    public const string OtelExporterOtlpTimeout = "OTEL_EXPORTER_OTLP_TIMEOUT";
    /// <summary>Standard batch processor queue size: spans (and log records) waiting for export (1 to 1000000; default 2048).</summary>
    public const string OtelBspMaxQueueSize = "OTEL_BSP_MAX_QUEUE_SIZE";
    /// <summary>Standard batch processor batch size (1 to the queue size; default 512).</summary>
    public const string OtelBspMaxExportBatchSize = "OTEL_BSP_MAX_EXPORT_BATCH_SIZE";
    /// <summary>Standard batch processor delay between exports in milliseconds (1 to 600000; default 5000).</summary>
    public const string OtelBspScheduleDelay = "OTEL_BSP_SCHEDULE_DELAY";
    /// <summary>
    /// Standard metrics exporter list: <c>prometheus</c> (the kit's default: <c>/metrics</c>), <c>otlp</c>, both
    /// comma-separated, or <c>none</c>; wins over <see cref="MetricsExporter"/>.
    /// </summary>
    public const string OtelMetricsExporter = "OTEL_METRICS_EXPORTER";
    /// <summary>Standard interval between two OTLP metric exports in milliseconds (read by the OpenTelemetry SDK; the kit checks 1 to 86400000; default 60000).</summary>
    public const string OtelMetricExportInterval = "OTEL_METRIC_EXPORT_INTERVAL";
    /// <summary>Standard timeout of one OTLP metric export in milliseconds (read by the OpenTelemetry SDK; the kit checks 1 to 600000; default 30000).</summary>
    public const string OtelMetricExportTimeout = "OTEL_METRIC_EXPORT_TIMEOUT";
    /// <summary>Standard sampler name; wins over <see cref="TracingSampler"/>.</summary>
    public const string OtelTracesSampler = "OTEL_TRACES_SAMPLER";
    /// <summary>Standard sampler argument; wins over <see cref="TracingSamplerArg"/>.</summary>
    public const string OtelTracesSamplerArg = "OTEL_TRACES_SAMPLER_ARG";

    // The Pyroscope agent's variables, read here and nowhere else. PYROSCOPE_LABELS takes k1:v1,k2:v2 (or k1=v1).
    /// <summary>The Pyroscope agent's server address variable.</summary>
    public const string PyroscopeServerAddress = "PYROSCOPE_SERVER_ADDRESS";
    /// <summary>The Pyroscope agent's application name variable.</summary>
    public const string PyroscopeApplicationName = "PYROSCOPE_APPLICATION_NAME";
    /// <summary>The Pyroscope agent's static labels variable, <c>k1:v1,k2:v2</c> (or <c>k1=v1</c>).</summary>
    public const string PyroscopeLabels = "PYROSCOPE_LABELS";
    /// <summary>The Pyroscope agent's basic-auth user variable.</summary>
    public const string PyroscopeBasicAuthUser = "PYROSCOPE_BASIC_AUTH_USER";
    /// <summary>The Pyroscope agent's basic-auth password variable.</summary>
    public const string PyroscopeBasicAuthPassword = "PYROSCOPE_BASIC_AUTH_PASSWORD";
    /// <summary>The Pyroscope agent's tenant id variable.</summary>
    public const string PyroscopeTenantId = "PYROSCOPE_TENANT_ID";

    /// <summary>Set to <c>true</c> by the official .NET container images; moves the management default to 0.0.0.0.</summary>
    public const string DotnetRunningInContainer = "DOTNET_RUNNING_IN_CONTAINER";
}
