using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>The scheduler thread: opens and stops sessions as the schedule decides, each call under the watchdog.</summary>
internal sealed partial class EventPipeSessionControl
{
    private void Schedule()
    {
        using var self = ProfilerThreads.Enter();
        var phaseFraction = Random.Shared.NextDouble();
        SamplingSession? session = null;
        while (!_exiting && !_disposed)
        {
            var hubs = _hubs;
            var (mode, burst, period) = Effective(hubs);
            var settings = new ScheduleSettings(burst, period, period * phaseFraction);
            var last = Volatile.Read(ref _lastLoadTest);
            var input = new ScheduleInput(Clock, mode, _settings.RateVariableSet, last == 0 ? null : TimeSpan.FromTicks(last), _onDemand.LatestEnd(), WatchdogFired: _state == SamplerState.Failed);
            var decision = SamplingSchedule.Decide(input, settings);

            if (session is { EndedUnexpectedly: true })
            {
                Windows.Close(DateTime.UtcNow);
                var lost = session.EventsLost;
                session.Dispose();
                Fail(null, $"the runtime ended the EventPipe session after {SamplesSeen} samples ({lost} events lost)");
                return;
            }
            if (decision.On && session is null)
            {
                session = StartBounded();
                if (session is null) return;
            }
            else if (!decision.On && session is not null)
            {
                if (!StopBounded(session)) return;
                session = null;
            }

            var wait = decision.Until == TimeSpan.MaxValue ? Timeout.InfiniteTimeSpan : decision.Until - Clock;
            if (wait != Timeout.InfiniteTimeSpan)
            {
                if (wait < TimeSpan.FromMilliseconds(1)) wait = TimeSpan.FromMilliseconds(1);
                if (wait > TimeSpan.FromHours(1)) wait = TimeSpan.FromHours(1);
            }
            if (session is null) _wake.WaitOne(wait);
            else WaitHandle.WaitAny(new[] { _wake, session.Ended }, wait);
        }
        // Process exit: the runtime ends the session itself. Dispose: this control ends it.
        if (_disposed && session is not null) StopBounded(session);
        _sessionOn.TrySetResult(false);
    }

    private (ProfilingMode Mode, TimeSpan Burst, TimeSpan Period) Effective(ProfileHub[] hubs)
    {
        if (hubs.Length == 0) return (ProfilingMode.Off, TimeSpan.Zero, TimeSpan.Zero);
        var options = hubs[0].Options;
        var mode = hubs.Any(h => h.Options.Mode == ProfilingMode.Continuous) ? ProfilingMode.Continuous : ProfilingMode.Auto;
        return (mode, options.EffectiveBurstDurationFor(_settings.RateVariableSet), options.BurstPeriod);
    }

    /// <summary>
    /// Runs <paramref name="work"/> on a profiler thread of its own (its CPU time counted as the profiler's); false when
    /// it did not return within <paramref name="limit"/> (the thread is left behind: the runtime call it is in may never return).
    /// </summary>
    private bool RunBounded(string threadName, TimeSpan limit, Action work)
    {
        var thread = new Thread(() =>
        {
            using var self = ProfilerThreads.Enter(selfTimed: true);
            var before = ThreadCpuClock.ReadOne(OsThread.CurrentId);
            work();
            Router.CountOwnCpu(before);
        }) { IsBackground = true, Name = threadName };
        thread.Start();
        return thread.Join(limit);
    }

    private SamplingSession? StartBounded()
    {
        ReaderWarmUp.Once();
        var watch = Stopwatch.StartNew();
        // The runtime samples from the moment the session starts, before TraceEvent's rundown returns.
        var openedAt = DateTime.UtcNow;
        // Spans pay for thread tracking only while a session is open: between bursts a request costs nothing more.
        // (A request that started before a burst is not attributed to its span in that burst.)
        TrackSpans(true);
        var rundown = _rundown.Next(onDemand: _onDemand.LatestEnd() is not null);
        SamplingSession? started = null;
        Exception? error = null;
        var returned = RunBounded("Observability profiler start", _settings.StartTimeout, () =>
        {
            try
            {
                started = SamplingSession.Start(Router.OnEvent, s => Router.FlushCpu(s, final: true), rundown, PeriodNanos);
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        if (!returned)
        {
            Fail(null, $"opening an EventPipe session did not return within {_settings.StartTimeout.TotalSeconds:0.#} s");
            return null;
        }
        if (started is null)
        {
            Fail(error, "the EventPipe session could not be started");
            return null;
        }
        Timings.AddStart(watch.Elapsed);
        _rundown.Started(rundown);
        Interlocked.Increment(ref _sessionsStarted);
        Router.SessionStarted();
        Windows.Open(openedAt);
        _sessionOn.TrySetResult(true);
        _logger?.LogDebug("Profiler session opened in {Milliseconds} ms", watch.Elapsed.TotalMilliseconds);
        return started;
    }

    /// <summary>Stops the session under the watchdog; false (and the sampler failed) when Stop() or the reader hangs.</summary>
    private bool StopBounded(SamplingSession session)
    {
        _sessionOn = NewSignal();
        var watch = Stopwatch.StartNew();
        var returned = RunBounded("Observability profiler stop", _settings.StopTimeout, () =>
        {
            try
            {
                _settings.BeforeStop?.Invoke();
                session.Stop();
            }
            catch (Exception)
            {
                // The session may have ended on its own; the reader's end below is what counts.
            }
        });
        if (!returned)
        {
            session.Abandon();
            Fail(null, $"stopping the EventPipe session did not return within {_settings.StopTimeout.TotalSeconds:0.#} s; sampling stays off until the process restarts");
            return false;
        }
        // The runtime samples until Stop() returns: the window closes then.
        Windows.Close(DateTime.UtcNow);
        TrackSpans(false);
        var left = _settings.StopTimeout - watch.Elapsed;
        if (!session.Ended.WaitOne(left > TimeSpan.Zero ? left : TimeSpan.Zero))
        {
            session.Abandon();
            Fail(null, $"the EventPipe session's reader did not finish within {_settings.StopTimeout.TotalSeconds:0.#} s of the stop; sampling stays off until the process restarts");
            return false;
        }
        Timings.AddStop(watch.Elapsed);
        Router.SessionEnded();
        _rundown.Stopped(session.WithRundown, session.Resolver.Unresolved, session.Resolver.UnresolvedShare);
        session.Dispose();
        _logger?.LogDebug("Profiler session stopped in {Milliseconds} ms", watch.Elapsed.TotalMilliseconds);
        return true;
    }

    /// <summary>
    /// Holds span tracking on for this control's session, or lets it go; once each way, so that a fail after a stop
    /// does not release it twice, and another control's session keeps it on.
    /// </summary>
    private void TrackSpans(bool on)
    {
        if (Interlocked.Exchange(ref _tracksSpans, on ? 1 : 0) == (on ? 1 : 0)) return;
        if (on) ThreadSpanTracker.SessionOpened();
        else ThreadSpanTracker.SessionClosed();
    }

    private void Fail(Exception? error, string reason)
    {
        _reason = reason;
        _state = SamplerState.Failed;
        TrackSpans(false);
        Windows.Close(DateTime.UtcNow);
        Router.SessionEnded();
        _sessionOn.TrySetResult(false);
        foreach (var hub in _hubs) CountDropped(hub, "sampler_failed", 1);
        _logger?.LogError(error, "CPU and wall profiles are off: {Reason}; the application keeps running", reason);
    }
}
