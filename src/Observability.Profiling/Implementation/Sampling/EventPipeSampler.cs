namespace Observability.Profiling.Implementation.Sampling;

/// <summary>The process's EventPipe sampling: the rate the runtime started with, and the one session control.</summary>
internal static class EventPipeSampler
{
    /// <summary>Sampling interval in ns: the value of the runtime variable, or the runtime's default.</summary>
    public static long PeriodNanos { get; } =
        SamplingRate.FromVariable(Environment.GetEnvironmentVariable(ProfilingOptions.SamplingRateVariable)) ?? SamplingRate.RuntimeDefaultNanos;

    /// <summary>Whether the process started with <see cref="ProfilingOptions.SamplingRateVariable"/>.</summary>
    public static bool RateVariableSet { get; } =
        SamplingRate.FromVariable(Environment.GetEnvironmentVariable(ProfilingOptions.SamplingRateVariable)) is not null;

    /// <summary>
    /// The session control every host uses (registered in DI by <c>AddObservabilityProfiling</c>). One per process: the
    /// runtime's sample profiler, its rate, the span tracking it switches on and the profiler-thread registry are all
    /// process-wide, so a second control's sessions would sample the same threads and fight over that state. Tests
    /// build their own control only while this one is idle. Declared after the rate, which its settings read.
    /// </summary>
    public static EventPipeSessionControl Shared { get; } = new(new EventPipeSessionSettings());
}
