namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// What the profiles, the debug captures and the span links ask of the sampler that takes a kind's samples: perf
/// events (<see cref="Perf.PerfCpuSampler"/>) or EventPipe sessions (<see cref="EventPipeSessionControl.AsCpuSampler"/>).
/// </summary>
internal interface ICpuSampler
{
    /// <summary><c>perf</c> or <c>eventpipe</c>: the label of <c>observability_profiler_sampler_info</c>.</summary>
    string Name { get; }

    /// <summary>The value of one sample, in nanoseconds.</summary>
    long PeriodNanos { get; }

    /// <summary>When the sampler was on: the pushed profiles' sampled range.</summary>
    SamplingWindows Windows { get; }

    /// <summary>Why a capture cannot run now, or null when it can.</summary>
    string? Unavailable { get; }

    /// <summary>
    /// Samples for <paramref name="duration"/> and waits until the samples taken by then have reached the hubs.
    /// Null when it did, else why no samples could be had.
    /// </summary>
    Task<string?> SampleForAsync(TimeSpan duration, bool cpu, CancellationToken cancellationToken);

    /// <summary>Whether the local-root span <paramref name="spanId"/>, which ran from <paramref name="start"/> to <paramref name="end"/> and has just ended, has samples.</summary>
    bool HasSamples(ulong spanId, DateTime start, DateTime end);
}
