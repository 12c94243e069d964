namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// What an <see cref="EventPipeSessionControl"/> is built with. The defaults are production's; a test builds a control
/// with a short <see cref="StopTimeout"/> and the callbacks that rebuild a hang, without touching the shared one.
/// </summary>
internal sealed record EventPipeSessionSettings
{
    /// <summary>Sampling interval in ns. The runtime reads its rate once per process: see <see cref="EventPipeSampler.PeriodNanos"/>.</summary>
    public long PeriodNanos { get; init; } = EventPipeSampler.PeriodNanos;

    /// <summary>Whether the process started with <see cref="ProfilingOptions.SamplingRateVariable"/>.</summary>
    public bool RateVariableSet { get; init; } = EventPipeSampler.RateVariableSet;

    /// <summary>How long opening a session (and its rundown) may take before the control declares itself failed.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long <c>Stop()</c> and the reader's end after it may take before the control declares itself failed. Apart
    /// from <see cref="StartTimeout"/> so a test can fail a stop quickly without failing a start on a busy machine.
    /// </summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Reads the process environment for <see cref="SamplerGate"/>.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>
    /// Forces each session's rundown on (true) or off (false), to measure its cost or to name code a test compiled
    /// again; null, the default, leaves the choice to <see cref="RundownPolicy"/>.
    /// </summary>
    public bool? RundownOverride { get; init; }

    /// <summary>Runs on the stopping thread before <c>Stop()</c>: lets a test simulate a hung stop.</summary>
    public Action? BeforeStop { get; init; }

    /// <summary>Runs on the reader thread for each sample, before it is handled: lets a test hold the reader.</summary>
    public Action? OnSample { get; init; }
}
