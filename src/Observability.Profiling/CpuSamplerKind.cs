namespace Observability.Profiling;

/// <summary>Which mechanism takes CPU samples (wall-clock profiles always come from EventPipe).</summary>
public enum CpuSamplerKind
{
    /// <summary>
    /// Default: Linux perf events when the kernel allows them (continuous, about 100 samples a second of each thread's
    /// CPU time), else EventPipe bursts; the startup log and <c>observability_profiler_sampler_info</c> say which.
    /// </summary>
    Auto = 0,

    /// <summary>Perf events; when the kernel refuses them the error is logged with the reason and EventPipe bursts take over.</summary>
    Perf = 1,

    /// <summary>EventPipe bursts only (the runtime's own sampler; see <see cref="ProfilingOptions.Mode"/>).</summary>
    EventPipe = 2,
}
