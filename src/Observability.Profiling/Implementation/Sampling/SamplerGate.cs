namespace Observability.Profiling.Implementation.Sampling;

/// <summary>Decides, from the process environment, whether the built-in sampler may start.</summary>
internal static class SamplerGate
{
    /// <summary>Null when the sampler may start, else the reason it stays off.</summary>
    public static string? OffReason(Func<string, string?> environment, ProfilingOptions options)
    {
        var profiler = environment("CORECLR_PROFILER");
        if (string.Equals(profiler?.Trim(), ProfilingOptions.NativeAgentClsid, StringComparison.OrdinalIgnoreCase))
        {
            return "the native Pyroscope agent is loaded (CORECLR_PROFILER); it profiles this process instead";
        }
        if (options.RequireSamplingRateVariable && SamplingRate.FromVariable(environment(ProfilingOptions.SamplingRateVariable)) is null)
        {
            return $"{ProfilingOptions.SamplingRateVariable} was not set when the process started; the runtime's 1 ms rate is too costly. " +
                   $"Start the process with {ProfilingOptions.SamplingRateVariable}={ProfilingOptions.RecommendedSamplingRate} (10 ms) to get CPU and wall profiles";
        }
        return null;
    }
}
