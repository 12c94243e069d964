namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// An EventPipe session control seen through <see cref="ICpuSampler"/>: sessions open on a schedule (bursts) or for a
/// capture, so a span has samples when a session overlapped it.
/// </summary>
internal sealed class EventPipeCpuSampler(EventPipeSessionControl control) : ICpuSampler
{
    public string Name => "eventpipe";

    public long PeriodNanos => control.PeriodNanos;

    public SamplingWindows Windows => control.Windows;

    public string? Unavailable => control.State switch
    {
        SamplerState.Running => null,
        SamplerState.NotStarted => "the sampler is not enabled in this host",
        _ => control.Reason ?? "the sampler is not running",
    };

    public async Task<string?> SampleForAsync(TimeSpan duration, bool cpu, CancellationToken cancellationToken)
    {
        if (!await control.SampleForAsync(duration, cancellationToken))
            return control.Reason ?? "no sampling session could be opened in time";
        // CPU samples reach the hubs once their weights are known (a fraction of a second later); a loaded machine's
        // reader runs behind: up to 3 s is waited for.
        if (cpu) await control.Router.WaitForCpuSamplesAsync(TimeSpan.FromSeconds(3), cancellationToken);
        return null;
    }

    public bool HasSamples(ulong spanId, DateTime start, DateTime end) => Windows.Overlaps(start, end);
}
