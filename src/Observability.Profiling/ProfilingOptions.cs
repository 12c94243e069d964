namespace Observability.Profiling;

/// <summary>
/// Settings of the always-on profiler: the one model, filled once by <c>AddObservability()</c> from the
/// <c>Observability:Profiling</c> section and the Pyroscope agent's <c>PYROSCOPE_*</c> variables
/// (key names in <c>ObservabilityConfigKeys</c>), then by the code callback, and validated before the host starts.
/// </summary>
public sealed class ProfilingOptions
{
    /// <summary>
    /// The runtime's sampling interval knob: milliseconds in hex, read once when the runtime starts
    /// (setting it later, even through the diagnostics IPC, has no effect).
    /// </summary>
    public const string SamplingRateVariable = "DOTNET_EventPipeThreadSamplingRate";

    /// <summary>The value we recommend for <see cref="SamplingRateVariable"/>: <c>a</c> = 10 ms, 100 Hz per thread.</summary>
    public const string RecommendedSamplingRate = "a";

    /// <summary>The CLSID of the official native Pyroscope agent; when it is loaded the built-in sampler stays off.</summary>
    public const string NativeAgentClsid = "{BD1A650D-AC5D-4896-B64F-D6FA25D6B26A}";

    /// <summary>The <c>service_name</c> sent when neither <see cref="ApplicationName"/> nor a service name is set.</summary>
    public const string DefaultApplicationName = "unknown_service";

    /// <summary>Master switch (default on): the debug endpoints work without a server; pushing needs <see cref="ServerAddress"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Pyroscope base address (for example <c>http://pyroscope:4040</c>); null keeps profiles local (debug endpoints only).</summary>
    public Uri? ServerAddress { get; set; }

    /// <summary>Service name sent as <c>service_name</c>; <c>AddObservability()</c> defaults it to the service name.</summary>
    public string? ApplicationName { get; set; }

    /// <summary>Static series labels added to every pushed profile.</summary>
    public IDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Basic auth user for the push (for a proxy or Grafana Cloud).</summary>
    public string? BasicAuthUser { get; set; }

    /// <summary>Basic auth password for the push.</summary>
    public string? BasicAuthPassword { get; set; }

    /// <summary>Tenant id, sent as <c>X-Scope-OrgID</c>.</summary>
    public string? TenantId { get; set; }

    /// <summary>How often profiles are pushed (default 15 s, as the official agent does).</summary>
    public TimeSpan UploadInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Timeout of one push request; a slow server costs a dropped profile, never a blocked app.</summary>
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Profiles waiting for upload; beyond this the oldest is dropped and counted.</summary>
    public int UploadQueueCapacity { get; set; } = 6;

    /// <summary>Cap of <c>seconds</c> on the debug endpoints.</summary>
    public int MaxSecondsPerRequest { get; set; } = 60;

    /// <summary>When the sampler runs: <see cref="ProfilingMode.Auto"/> (default, bursts), continuous, or off.</summary>
    public ProfilingMode Mode { get; set; } = ProfilingMode.Auto;

    /// <summary>
    /// Which mechanism takes CPU samples: <see cref="CpuSamplerKind.Auto"/> (default: perf events where the kernel
    /// allows them, else EventPipe bursts), <see cref="CpuSamplerKind.Perf"/> or <see cref="CpuSamplerKind.EventPipe"/>.
    /// </summary>
    public CpuSamplerKind CpuSampler { get; set; } = CpuSamplerKind.Auto;

    /// <summary>
    /// Length of one burst in <see cref="ProfilingMode.Auto"/>. Null (default) picks it from the runtime's rate:
    /// <see cref="DefaultBurstWithoutVariable"/> at the runtime's 1 ms rate, <see cref="DefaultBurstWithVariable"/>
    /// when <see cref="SamplingRateVariable"/> was set (ticks 10 ms apart slow fewer requests, so a longer burst for the same tail).
    /// </summary>
    public TimeSpan? BurstDuration { get; set; }

    /// <summary>Time from the start of one burst to the start of the next in <see cref="ProfilingMode.Auto"/> (default <see cref="DefaultBurstPeriod"/>).</summary>
    public TimeSpan BurstPeriod { get; set; } = DefaultBurstPeriod;

    /// <summary>
    /// 5 minutes: the default bursts sample 0.33 % (1 s) or 0.67 % (2 s) of the time, under 1 % with their sessions'
    /// opening and stop and the backlog they leave, so they can move the p99 only within the unsampled tail (the
    /// Profiling README, "Choosing B and P").
    /// </summary>
    public static readonly TimeSpan DefaultBurstPeriod = TimeSpan.FromMinutes(5);

    /// <summary>The burst length at the runtime's default 1 ms rate: 1 s every 5 minutes.</summary>
    public static readonly TimeSpan DefaultBurstWithoutVariable = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The burst length when the process was started with <see cref="SamplingRateVariable"/>: 2 s every 5 minutes
    /// (a 10 ms tick meets fewer requests than 1 ms ticks do, so the burst can be longer for the same tail).
    /// </summary>
    public static readonly TimeSpan DefaultBurstWithVariable = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The burst length in effect: <see cref="BurstDuration"/>, or the default for the rate this process started with
    /// (<see cref="SamplingRateVariable"/>). It must be shorter than <see cref="BurstPeriod"/>.
    /// </summary>
    public TimeSpan EffectiveBurstDuration => EffectiveBurstDurationFor(Implementation.Sampling.EventPipeSampler.RateVariableSet);

    internal TimeSpan EffectiveBurstDurationFor(bool rateVariableSet) =>
        BurstDuration ?? (rateVariableSet ? DefaultBurstWithVariable : DefaultBurstWithoutVariable);

    /// <summary>Include the request-time profile (span self time, DB and HTTP waits included).</summary>
    public bool RequestTimeProfileEnabled { get; set; } = true;

    /// <summary>Distinct (stack, labels) entries per profile window before span labels are dropped (Pyroscope accepts 16000 samples).</summary>
    public int MaxStacksPerProfile { get; set; } = 10_000;

    /// <summary>Deepest stack kept (leaf frames beyond it are cut).</summary>
    public int MaxStackDepth { get; set; } = 256;
}
