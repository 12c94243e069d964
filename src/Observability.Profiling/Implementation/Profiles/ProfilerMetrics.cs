using Prometheus;

namespace Observability.Profiling.Implementation.Profiles;

/// <summary>
/// The profiler's own counters, created in the host's registry (the one <c>/metrics</c> serves), so a host shows
/// its profiler's health next to its other metrics without copying values between registries.
/// </summary>
internal sealed class ProfilerMetrics
{
    public ProfilerMetrics(CollectorRegistry registry)
    {
        var factory = Metrics.WithCustomRegistry(registry);
        Pushed = factory.CreateCounter(TelemetryNames.ProfilesPushed, "Profiles accepted by the profile server.", ["type"]);
        Dropped = factory.CreateCounter(TelemetryNames.ProfilesDropped, "Profiles or profiler output lost, by reason.", ["type", "reason"]);
        ProfilerCpu = factory.CreateCounter(TelemetryNames.ProfilerCpuSeconds, "CPU time of the profiler's own threads while sampling (left out of the CPU profiles).");
        ExportFailures = ExportFailuresCounter.Create(factory).WithLabels(TelemetryNames.SignalProfiles);
        SamplerInfo = factory.CreateGauge(TelemetryNames.ProfilerSamplerInfo, "1 for the mechanism that takes CPU samples (perf events or EventPipe), 0 for the other.", ["sampler"]);
    }

    /// <summary>Says which mechanism takes CPU samples: <c>perf</c> or <c>eventpipe</c>.</summary>
    public void SetSampler(string sampler)
    {
        SamplerInfo.WithLabels("perf").Set(sampler == "perf" ? 1 : 0);
        SamplerInfo.WithLabels("eventpipe").Set(sampler == "eventpipe" ? 1 : 0);
    }

    public Gauge SamplerInfo { get; }

    public Counter Pushed { get; }

    public Counter Dropped { get; }

    public Counter.Child ExportFailures { get; }

    public Counter ProfilerCpu { get; }
}
