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

    /// <summary>
    /// Perf events on each CPU for every process, of which this process keeps its own samples: one timer per CPU, so a
    /// thread that sleeps and wakes pays nothing for it (per-thread events re-arm a timer at every switch). Needs
    /// CAP_PERFMON (or kernel.perf_event_paranoid ≤ 0), and the kernel writes other processes' samples, their copied
    /// user stacks included, into this process's buffers before it drops them: only where the process may observe the
    /// machine. A refusal is logged as an error and EventPipe bursts take over.
    /// </summary>
    PerfCpuWide = 3,
}
