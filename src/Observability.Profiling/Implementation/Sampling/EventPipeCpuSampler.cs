using Observability.Profiling.Implementation.Spans;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// The EventPipe sampler seen through <see cref="ICpuSampler"/>: sessions open on a schedule (bursts) or for a
/// capture, so a span has samples when a session overlapped it.
/// </summary>
internal sealed class EventPipeCpuSampler : ICpuSampler
{
    public string Name => "eventpipe";

    public long PeriodNanos => EventPipeSampler.PeriodNanos;

    public SamplingWindows Windows => EventPipeSampler.Windows;

    public string? Unavailable => EventPipeSampler.State switch
    {
        SamplerState.Running => null,
        SamplerState.NotStarted => "the sampler is not enabled in this host",
        _ => EventPipeSampler.Reason ?? "the sampler is not running",
    };

    public async Task<string?> SampleForAsync(TimeSpan duration, bool cpu, CancellationToken cancellationToken)
    {
        if (!await EventPipeSampler.SampleForAsync(duration, cancellationToken))
            return EventPipeSampler.Reason ?? "no sampling session could be opened in time";
        // CPU samples reach the hubs once their weights are known (a fraction of a second later); a loaded machine's
        // reader runs behind: up to 3 s is waited for.
        if (cpu) await EventPipeSampler.Router.WaitForCpuSamplesAsync(TimeSpan.FromSeconds(3), cancellationToken);
        return null;
    }

    public bool HasSamples(ulong spanId, DateTime start, DateTime end) => Windows.Overlaps(start, end);
}
