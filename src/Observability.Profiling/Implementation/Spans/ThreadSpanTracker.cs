using System.Collections.Concurrent;
using System.Diagnostics;

namespace Observability.Profiling.Implementation.Spans;

/// <summary>
/// Knows which local-root span each OS thread ran at a given time. An AsyncLocal carries the root span
/// with the request's execution context; its change handler runs on the thread at every context switch
/// that changes the value, and writes the transition into that thread's history. Process-wide, since
/// samples are. What it stores outlives requests only as values (<see cref="TrackedSpan"/>, <see cref="RecentSpans"/>).
/// </summary>
internal static class ThreadSpanTracker
{
    private const int HistoryCapacity = 1024;
    private const int MaxThreads = 4096;

    private static readonly AsyncLocal<RootSpan?> Current = new(OnChanged);
    private static readonly ConcurrentDictionary<int, ThreadHistory> Histories = new();
    [ThreadStatic] private static ThreadHistory? _mine;

    private static int _sessionsOpen;

    /// <summary>Only while a sampler runs do spans pay for tracking: the continuous perf sampler runs (this flag)…</summary>
    public static volatile bool AlwaysOn;

    /// <summary>…or an EventPipe session is open, of any control: each counts its own (<see cref="SessionOpened"/>).</summary>
    internal static bool Tracking => AlwaysOn || Volatile.Read(ref _sessionsOpen) > 0;

    public static void SessionOpened() => Interlocked.Increment(ref _sessionsOpen);

    public static void SessionClosed() => Interlocked.Decrement(ref _sessionsOpen);

    public static void Enter(Activity localRoot)
    {
        if (!Tracking) return;
        Current.Value = new RootSpan(localRoot);
    }

    /// <summary>
    /// The hosting middleware read the request's load-test labels after the span started: later transitions carry
    /// them, and so does the thread's history from now on (a request that runs on without switching threads).
    /// </summary>
    public static void Relabel(Activity localRoot, LoadTestLabels labels)
    {
        if (Current.Value is not { } root || root.SpanId != TrackedSpan.SpanKey(localRoot)) return;
        root.Labels = labels;
        _mine?.Record(Stopwatch.GetTimestamp(), root.Snapshot());
    }

    /// <summary>Marks the root's end; returns its span key.</summary>
    public static ulong Exit(Activity localRoot)
    {
        var key = TrackedSpan.SpanKey(localRoot);
        if (Current.Value is { } current && current.SpanId == key) Current.Value = null;
        if (Tracking) RecentSpans.Ended(key, Stopwatch.GetTimestamp());
        return key;
    }

    /// <summary>The local root the thread ran at <paramref name="timestamp"/>, if that span had not ended by then.</summary>
    public static TrackedSpan? Find(int osThreadId, long timestamp)
    {
        if (!Histories.TryGetValue(osThreadId, out var history) || history.Find(timestamp) is not { } span) return null;
        return RecentSpans.EndedBefore(span.SpanId, timestamp) ? null : span;
    }

    private static void OnChanged(AsyncLocalValueChangedArgs<RootSpan?> args)
    {
        var history = _mine;
        if (history is null)
        {
            if (!Tracking) return;
            var id = OsThread.CurrentId;
            if (id == 0) return;
            history = _mine = new ThreadHistory(HistoryCapacity);
            if (Histories.Count >= MaxThreads) RetireStale();
            Histories[id] = history;
        }
        history.Record(Stopwatch.GetTimestamp(), args.CurrentValue?.Snapshot() ?? default);
    }

    private static void RetireStale()
    {
        var cutoff = Stopwatch.GetTimestamp() - Stopwatch.Frequency * 300;
        foreach (var (id, history) in Histories)
        {
            if (history.LastWrite < cutoff) Histories.TryRemove(id, out _);
        }
    }
}
