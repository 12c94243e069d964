namespace Observability.Profiling.Implementation.Sampling;

/// <summary>Lifecycle of the process-wide sampler.</summary>
internal enum SamplerState
{
    NotStarted,

    /// <summary>The scheduler runs (a session may or may not be open: see <see cref="EventPipeSampler.SessionOpen"/>).</summary>
    Running,
    Off,
    Failed,
}
