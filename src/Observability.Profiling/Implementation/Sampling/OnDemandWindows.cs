namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// Sampling windows asked for by debug captures, on the scheduler's clock: each holds a session open until its end,
/// whatever the schedule; the latest end is what the schedule sees. Any thread may add, extend or remove one.
/// </summary>
internal sealed class OnDemandWindows
{
    private readonly List<Window> _windows = new();

    /// <summary>Opens a window that lasts until <paramref name="until"/>.</summary>
    public Window Add(TimeSpan until)
    {
        var window = new Window(this, until);
        lock (_windows) _windows.Add(window);
        return window;
    }

    /// <summary>The latest end of the open windows, or null when none is open.</summary>
    public TimeSpan? LatestEnd()
    {
        lock (_windows)
        {
            TimeSpan? latest = null;
            foreach (var w in _windows)
            {
                if (latest is null || w.Until > latest) latest = w.Until;
            }
            return latest;
        }
    }

    /// <summary>One capture's window; disposing it closes the window.</summary>
    internal sealed class Window(OnDemandWindows owner, TimeSpan until) : IDisposable
    {
        public TimeSpan Until { get; private set; } = until;

        /// <summary>Moves the window's end (the session it waited for opened: its seconds count from now).</summary>
        public void EndAt(TimeSpan until)
        {
            lock (owner._windows) Until = until;
        }

        public void Dispose()
        {
            lock (owner._windows) owner._windows.Remove(this);
        }
    }
}
