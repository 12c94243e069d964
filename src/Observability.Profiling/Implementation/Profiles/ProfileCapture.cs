using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Implementation.Profiles;

/// <summary>Records one profile kind for a number of seconds, for the debug endpoints.</summary>
internal static class ProfileCapture
{
    private static readonly SemaphoreSlim Concurrent = new(4, 4);

    /// <summary>Why a CPU or wall capture cannot run, or null when it can.</summary>
    public static string? Unavailable(ProfileKind kind, ProfilingOptions options, SampledKinds sampled)
    {
        if (!options.Enabled) return "profiling is disabled";
        if (kind == ProfileKind.Request)
        {
            return options.RequestTimeProfileEnabled ? null : "the request-time profile is disabled";
        }
        if (options.Mode == ProfilingMode.Off) return "the CPU and wall sampler is off in this host (profiling mode off)";
        return sampled.Sampler(kind).Unavailable;
    }

    /// <summary>
    /// Captures for <paramref name="duration"/>. CPU and wall captures hold a sampling window open for that long
    /// (whatever the schedule; concurrent captures share it). <see cref="CaptureResult.Busy"/> when too many captures
    /// already run; <see cref="CaptureResult.Failure"/> when no session could be had.
    /// </summary>
    public static async Task<CaptureResult> RunAsync(ProfileHub hub, SampledKinds sampled, ProfileKind kind, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (!await Concurrent.WaitAsync(0, cancellationToken)) return new CaptureResult(null, Busy: true, null);
        try
        {
            var capture = hub.BeginCapture(kind);
            try
            {
                if (kind == ProfileKind.Request)
                {
                    await Task.Delay(duration, cancellationToken);
                }
                else if (await sampled.Sampler(kind).SampleForAsync(duration, kind == ProfileKind.Cpu, cancellationToken) is { } failure)
                {
                    return new CaptureResult(null, Busy: false, failure);
                }
            }
            finally
            {
                hub.EndCapture(capture);
            }
            return new CaptureResult(capture, Busy: false, null);
        }
        finally
        {
            Concurrent.Release();
        }
    }
}

/// <summary>The outcome of a debug capture: the profile, or why there is none.</summary>
internal readonly record struct CaptureResult(ProfileAggregator? Capture, bool Busy, string? Failure);
