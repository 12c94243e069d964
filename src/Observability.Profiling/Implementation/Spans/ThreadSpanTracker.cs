using System.Collections.Concurrent;
using System.Diagnostics;

namespace Observability.Profiling.Implementation.Spans;

/// <summary>
/// Knows which local-root span each OS thread ran at a given time. An AsyncLocal carries the root span
/// with the request's execution context; its change handler runs on the thread at every context switch
/// that changes the value, and writes the transition into that thread's history. Process-wide, since
/// EventPipe samples are.
/// </summary>
internal static class ThreadSpanTracker
{
    private const int HistoryCapacity = 1024;
    private const int MaxThreads = 4096;

    private static readonly AsyncLocal<RootSpan?> Current = new(OnChanged);
    private static readonly ConcurrentDictionary<int, ThreadHistory> Histories = new();
    [ThreadStatic] private static ThreadHistory? _mine;

    /// <summary>Only while a sampler runs do spans pay for tracking: an EventPipe session is open (this flag)…</summary>
    public static volatile bool Active;

    /// <summary>…or the continuous perf sampler runs.</summary>
    public static volatile bool AlwaysOn;

    private static bool Tracking => Active || AlwaysOn;

    private const string RootSpanProperty = "Observability.Profiling.RootSpan";

    public static void Enter(Activity localRoot)
    {
        if (!Tracking) return;
        var root = new RootSpan(localRoot);
        localRoot.SetCustomProperty(RootSpanProperty, root);
        Current.Value = root;
    }

    /// <summary>Marks the root's end; returns what the sampler knew of it (null when it started untracked).</summary>
    public static RootSpan? Exit(Activity localRoot)
    {
        var root = localRoot.GetCustomProperty(RootSpanProperty) as RootSpan;
        if (root is not null) root.EndTimestamp = Stopwatch.GetTimestamp();
        var current = Current.Value;
        if (current is not null && ReferenceEquals(current.Activity, localRoot)) Current.Value = null;
        return root;
    }

    /// <summary>The local root the thread ran at <paramref name="timestamp"/>, if that span had not ended by then.</summary>
    public static RootSpan? Find(int osThreadId, long timestamp)
    {
        var root = Histories.TryGetValue(osThreadId, out var history) ? history.Find(timestamp) : null;
        return root is null || root.EndedBefore(timestamp) ? null : root;
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
        history.Record(Stopwatch.GetTimestamp(), args.CurrentValue);
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
