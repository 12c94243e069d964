namespace Observability.Profiling.Implementation.Sampling;

/// <summary>Lifecycle of an <see cref="EventPipeSessionControl"/>: NotStarted until a host attaches, then Off or Running; Running may end in Failed, which is final, or in Off when the control is disposed.</summary>
internal enum SamplerState
{
    NotStarted,

    /// <summary>The scheduler runs (a session may or may not be open: see <see cref="EventPipeSessionControl.SessionOpen"/>).</summary>
    Running,
    Off,
    Failed,
}
