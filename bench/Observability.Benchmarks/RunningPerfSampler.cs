using Microsoft.Extensions.Logging.Abstractions;
using Observability.Profiling;
using Observability.Profiling.Implementation.Perf;
using Observability.Profiling.Implementation.Profiles;

namespace Observability.Benchmarks;

/// <summary>The kit's perf-events sampler, attached as the kit attaches it, for the benchmarks that measure it running.</summary>
internal sealed class RunningPerfSampler : IDisposable
{
    private readonly ProfileHub _hub;

    private RunningPerfSampler(ProfileHub hub) => _hub = hub;

    /// <summary>Attaches the sampler; a machine that refuses perf events fails the benchmark's setup.</summary>
    public static RunningPerfSampler Start()
    {
        var hub = new ProfileHub(new ProfilingOptions(), new ProfilerMetrics(Prometheus.Metrics.NewCustomRegistry()));
        if (PerfCpuSampling.Attach(hub, NullLogger.Instance, out _) is { } refusal) throw new InvalidOperationException(refusal);
        return new RunningPerfSampler(hub);
    }

    public void Dispose() => PerfCpuSampling.Detach(_hub);
}
