using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Implementation.Profiles;

/// <summary>Records one profile kind for a number of seconds, for the debug endpoints.</summary>
internal static class ProfileCapture
{
    private static readonly SemaphoreSlim Concurrent = new(4, 4);

    /// <summary>Why a CPU or wall capture cannot run, or null when it can.</summary>
    public static string? Unavailable(ProfileKind kind, ProfilingOptions options)
    {
        if (!options.Enabled) return "profiling is disabled";
        if (kind == ProfileKind.Request)
        {
            return options.RequestTimeProfileEnabled ? null : "the request-time profile is disabled";
        }
        return EventPipeSampler.State switch
        {
            SamplerState.Running or SamplerState.Starting => null,
            SamplerState.NotStarted => "the sampler is not enabled in this host",
            _ => EventPipeSampler.Reason ?? "the sampler is not running",
        };
    }

    /// <summary>Captures for <paramref name="duration"/>; null when too many captures already run.</summary>
    public static async Task<ProfileAggregator?> RunAsync(ProfileHub hub, ProfileKind kind, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (!await Concurrent.WaitAsync(0, cancellationToken)) return null;
        try
        {
            var capture = hub.BeginCapture(kind);
            try
            {
                await Task.Delay(duration, cancellationToken);
            }
            finally
            {
                hub.EndCapture(capture);
            }
            return capture;
        }
        finally
        {
            Concurrent.Release();
        }
    }
}
