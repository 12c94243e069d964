namespace Observability.Profiling.Implementation.Sampling;

/// <summary>Decides, from the process environment, whether the built-in sampler may start.</summary>
internal static class SamplerGate
{
    /// <summary>
    /// Null when the sampler may start, else the reason it stays off. The sampling-rate variable no longer gates it:
    /// without the variable the scheduler samples in shorter bursts (see <see cref="ProfilingOptions.BurstDuration"/>).
    /// </summary>
    public static string? OffReason(Func<string, string?> environment)
    {
        var profiler = environment("CORECLR_PROFILER");
        if (string.Equals(profiler?.Trim(), ProfilingOptions.NativeAgentClsid, StringComparison.OrdinalIgnoreCase))
        {
            return "the native Pyroscope agent is loaded (CORECLR_PROFILER); it profiles this process instead";
        }
        return null;
    }
}
