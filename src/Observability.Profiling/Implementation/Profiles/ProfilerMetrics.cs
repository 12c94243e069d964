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
    }

    public Counter Pushed { get; }

    public Counter Dropped { get; }

    public Counter.Child ExportFailures { get; }

    public Counter ProfilerCpu { get; }
}
