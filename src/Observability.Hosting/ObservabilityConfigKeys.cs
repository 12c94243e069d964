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

    public const string Enabled = "Observability:Enabled";
    public const string ServiceName = "Observability:ServiceName";
    public const string ResourceAttributes = "Observability:ResourceAttributes";

    public const string OtlpEndpoint = "Observability:Otlp:Endpoint";
    public const string OtlpProtocol = "Observability:Otlp:Protocol";

    public const string TracingSampler = "Observability:Tracing:Sampler";
    public const string TracingSamplerArg = "Observability:Tracing:SamplerArg";
    public const string TracingSources = "Observability:Tracing:Sources";

    public const string ManagementEnabled = "Observability:Management:Enabled";
    public const string ManagementPort = "Observability:Management:Port";
    public const string ManagementAddress = "Observability:Management:Address";
    public const string ManagementPublicPortExposure = "Observability:Management:PublicPortExposure";

    public const string LoadTestMaxTestIds = "Observability:LoadTest:MaxTestIds";
    public const string LoadTestMaxScenarios = "Observability:LoadTest:MaxScenarios";

    public const string ProfilingEnabled = "Observability:Profiling:Enabled";
    public const string ProfilingServerAddress = "Observability:Profiling:ServerAddress";
    public const string ProfilingApplicationName = "Observability:Profiling:ApplicationName";
    public const string ProfilingLabels = "Observability:Profiling:Labels";
    public const string ProfilingBasicAuthUser = "Observability:Profiling:BasicAuthUser";
    public const string ProfilingBasicAuthPassword = "Observability:Profiling:BasicAuthPassword";
    public const string ProfilingTenantId = "Observability:Profiling:TenantId";
    public const string ProfilingUploadInterval = "Observability:Profiling:UploadInterval";
    public const string ProfilingUploadTimeout = "Observability:Profiling:UploadTimeout";
    public const string ProfilingUploadQueueCapacity = "Observability:Profiling:UploadQueueCapacity";
    public const string ProfilingMaxSecondsPerRequest = "Observability:Profiling:MaxSecondsPerRequest";
    public const string ProfilingSamplerEnabled = "Observability:Profiling:SamplerEnabled";
    public const string ProfilingRequireSamplingRateVariable = "Observability:Profiling:RequireSamplingRateVariable";
    public const string ProfilingRequestTimeProfileEnabled = "Observability:Profiling:RequestTimeProfileEnabled";
    public const string ProfilingMaxStacksPerProfile = "Observability:Profiling:MaxStacksPerProfile";
    public const string ProfilingMaxStackDepth = "Observability:Profiling:MaxStackDepth";

    // Standard OpenTelemetry variables (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/).
    public const string OtelSdkDisabled = "OTEL_SDK_DISABLED";
    public const string OtelServiceName = "OTEL_SERVICE_NAME";
    public const string OtelResourceAttributes = "OTEL_RESOURCE_ATTRIBUTES";
    public const string OtelExporterOtlpEndpoint = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string OtelExporterOtlpTracesEndpoint = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
    public const string OtelExporterOtlpProtocol = "OTEL_EXPORTER_OTLP_PROTOCOL";
    public const string OtelTracesSampler = "OTEL_TRACES_SAMPLER";
    public const string OtelTracesSamplerArg = "OTEL_TRACES_SAMPLER_ARG";

    // The Pyroscope agent's variables, read here and nowhere else. PYROSCOPE_LABELS takes k1:v1,k2:v2 (or k1=v1).
    public const string PyroscopeServerAddress = "PYROSCOPE_SERVER_ADDRESS";
    public const string PyroscopeApplicationName = "PYROSCOPE_APPLICATION_NAME";
    public const string PyroscopeLabels = "PYROSCOPE_LABELS";
    public const string PyroscopeBasicAuthUser = "PYROSCOPE_BASIC_AUTH_USER";
    public const string PyroscopeBasicAuthPassword = "PYROSCOPE_BASIC_AUTH_PASSWORD";
    public const string PyroscopeTenantId = "PYROSCOPE_TENANT_ID";

    /// <summary>Set to <c>true</c> by the official .NET container images; moves the management default to 0.0.0.0.</summary>
    public const string DotnetRunningInContainer = "DOTNET_RUNNING_IN_CONTAINER";
}
