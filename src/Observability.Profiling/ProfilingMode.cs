namespace Observability.Profiling;

/// <summary>When the EventPipe CPU and wall sampler runs (the request-time profile needs no sampler and is always on).</summary>
public enum ProfilingMode
{
    /// <summary>
    /// Default. Short bursts (<see cref="ProfilingOptions.BurstDuration"/> every <see cref="ProfilingOptions.BurstPeriod"/>,
    /// random phase), dense sampling while requests with a k6 test id arrive, and a window of its own for every
    /// <c>/debug/pprof</c> request. Works with or without <see cref="ProfilingOptions.SamplingRateVariable"/>.
    /// </summary>
    Auto = 0,

    /// <summary>One session for the process lifetime, sampling all the time (costly: see the profiler's README).</summary>
    Continuous = 1,

    /// <summary>No CPU or wall sampling; span links are not set and the debug endpoints answer 503 for cpu and wall.</summary>
    Off = 2,
}
