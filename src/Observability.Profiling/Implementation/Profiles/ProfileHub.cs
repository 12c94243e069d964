namespace Observability.Profiling.Implementation.Profiles;

/// <summary>
/// Where samples of one host go: the current push window (when a server is configured) and any
/// on-demand captures of the debug endpoints. Publishing never blocks on I/O.
/// </summary>
internal sealed class ProfileHub
{
    private readonly ProfilingOptions _options;
    private readonly object _gate = new();
    private ProfileAggregator?[] _window;
    private volatile ProfileAggregator[] _captures = Array.Empty<ProfileAggregator>();

    public ProfileHub(ProfilingOptions options, ProfilerMetrics metrics)
    {
        _options = options;
        Metrics = metrics;
        _window = new ProfileAggregator?[ProfileKinds.All.Length];
    }

    public ProfilingOptions Options => _options;

    public ProfilerMetrics Metrics { get; }

    /// <summary>Set by the push loop when it runs; without it no window is kept.</summary>
    public bool PushEnabled { get; set; }

    /// <summary>
    /// Adds a sample to the push window and the running captures. <paramref name="takenAt"/>: when a CPU or wall sample
    /// was taken (UTC), so the push can say which part of its window was sampled.
    /// </summary>
    public void Publish(ProfileKind kind, string[] frames, SampleLabels labels, long value, DateTime? takenAt = null)
    {
        if (PushEnabled)
        {
            var window = _window[(int)kind];
            if (window is null)
            {
                lock (_gate)
                {
                    window = _window[(int)kind] ??= new ProfileAggregator(kind, _options.MaxStacksPerProfile, DateTimeOffset.UtcNow);
                }
            }
            window.Add(frames, labels, value, takenAt);
        }
        foreach (var capture in _captures)
        {
            if (capture.Kind == kind) capture.Add(frames, labels, value);
        }
    }

    /// <summary>Returns the finished windows (null where nothing was recorded) and starts new ones.</summary>
    public ProfileAggregator?[] SwapWindow()
    {
        lock (_gate)
        {
            var finished = _window;
            _window = new ProfileAggregator?[ProfileKinds.All.Length];
            return finished;
        }
    }

    public ProfileAggregator BeginCapture(ProfileKind kind)
    {
        var capture = new ProfileAggregator(kind, _options.MaxStacksPerProfile, DateTimeOffset.UtcNow);
        lock (_gate) _captures = _captures.Append(capture).ToArray();
        return capture;
    }

    public void EndCapture(ProfileAggregator capture)
    {
        lock (_gate) _captures = _captures.Where(c => !ReferenceEquals(c, capture)).ToArray();
    }
}
