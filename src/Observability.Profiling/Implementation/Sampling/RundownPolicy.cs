namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// Which sessions run TraceEvent's rundown. The rundown names code jitted before a session, at ~0.2 s of CPU per
/// session (measured, README). It runs for the first session, for debug windows (asked for by a person), every
/// <see cref="Every"/>th session, and after a session that left 2 points more of its frames unnamed than the last
/// session with rundown (some frames, such as stubs, have no name even then); other bursts name such code from
/// earlier sessions. Used by the scheduler thread only.
/// </summary>
internal sealed class RundownPolicy(bool? forced)
{
    internal const int Every = 10;

    /// <summary>A share measured on fewer unnamed frames than this says nothing and asks for no rundown.</summary>
    internal const int MinUnnamedToJudge = 50;

    private int _sessionsSinceRundown = int.MaxValue;
    private double _lastUnresolvedShare;
    private double _rundownUnresolvedShare;
    private long _rundowns;

    /// <summary>Sessions that ran the rundown.</summary>
    public long Rundowns => Interlocked.Read(ref _rundowns);

    /// <summary>Whether the next session runs the rundown (unless <c>forced</c> says); <paramref name="onDemand"/>: a debug window is open.</summary>
    public bool Next(bool onDemand) =>
        forced
        ?? (_sessionsSinceRundown >= Every - 1 || _lastUnresolvedShare > _rundownUnresolvedShare + 0.02 || onDemand);

    /// <summary>A session started, with or without the rundown.</summary>
    public void Started(bool rundown)
    {
        if (rundown) Interlocked.Increment(ref _rundowns);
        _sessionsSinceRundown = rundown ? 0 : _sessionsSinceRundown == int.MaxValue ? int.MaxValue : _sessionsSinceRundown + 1;
    }

    /// <summary>A session stopped having left <paramref name="unnamed"/> frames unnamed, <paramref name="share"/> of all.</summary>
    public void Stopped(bool withRundown, long unnamed, double share)
    {
        _lastUnresolvedShare = unnamed >= MinUnnamedToJudge ? share : 0;
        if (withRundown) _rundownUnresolvedShare = share;
    }
}
