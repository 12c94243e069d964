namespace Observability.Profiling.Implementation.Sampling;

/// <summary>The end of a control: its scheduler thread and the session it holds open stop with it.</summary>
internal sealed partial class EventPipeSessionControl
{
    /// <summary>Beyond the stop timeout, what the scheduler needs to wake up and tidy after the stop.</summary>
    private static readonly TimeSpan DisposeMargin = TimeSpan.FromSeconds(1);

    private Thread? _scheduler; // set under _gate
    private volatile bool _disposed;

    /// <summary>
    /// Stops the scheduler and its open session, waiting at most the stop timeout (the stop's watchdog gives up on a
    /// hung one by then); a session still opening is stopped by the scheduler once it opened. Idempotent; never throws.
    /// The process's shared control is never disposed: its registration keeps the container from doing so.
    /// </summary>
    public void Dispose()
    {
        Thread? scheduler;
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            scheduler = _scheduler;
            if (_state is SamplerState.NotStarted or SamplerState.Running)
            {
                _state = SamplerState.Off;
                _reason = "the EventPipe session control was disposed";
            }
        }
        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        _wake.Set();
        try
        {
            scheduler?.Join(_settings.StopTimeout + DisposeMargin);
        }
        catch (Exception)
        {
            // The host is stopping: a failed wait must not stop it too.
        }
        _sessionOn.TrySetResult(false);
    }

    private void OnProcessExit(object? sender, EventArgs e)
    {
        _exiting = true;
        _wake.Set();
    }
}
