using Observability.Profiling.Implementation.Perf;
using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Implementation.Profiles;

/// <summary>
/// Which sampler feeds a profile kind now, its sampling period and when it sampled. One per host (DI), so the debug
/// endpoints, the push loop and the span links of a host ask the same sampler.
/// </summary>
/// <param name="eventPipe">The EventPipe session control the host attached to (production: <see cref="EventPipeSampler.Shared"/>).</param>
internal sealed class SampledKinds(EventPipeSessionControl eventPipe)
{
    /// <summary>The EventPipe session control behind wall samples, and CPU samples without perf events.</summary>
    public EventPipeSessionControl EventPipe => eventPipe;

    /// <summary>CPU samples come from perf events while that sampler runs, else from EventPipe sessions; wall samples always from EventPipe.</summary>
    public ICpuSampler Sampler(ProfileKind kind) =>
        kind == ProfileKind.Cpu && PerfCpuSampling.Current is { } perf ? perf : eventPipe.AsCpuSampler;

    /// <summary>The sampler that takes CPU samples now.</summary>
    public ICpuSampler Cpu => Sampler(ProfileKind.Cpu);

    /// <summary>The value of one sample, in nanoseconds (1 for the request-time profile, whose values are span self times).</summary>
    public long PeriodNanos(ProfileKind kind) => kind == ProfileKind.Request ? 1 : Sampler(kind).PeriodNanos;

    /// <summary>When the kind's sampler was on.</summary>
    public SamplingWindows Windows(ProfileKind kind) => Sampler(kind).Windows;
}
