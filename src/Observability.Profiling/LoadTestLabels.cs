using System.Diagnostics;
using Observability.Profiling.Implementation.Spans;

namespace Observability.Profiling;

/// <summary>
/// The bounded load-test context of a request (k6 test id and scenario): its profile samples carry it as the
/// <c>k6_testid</c> and <c>k6_scenario</c> labels. The hosting package attaches it to each server span; values must
/// already be bounded (few distinct ones), since Pyroscope turns them into series labels.
/// </summary>
/// <param name="TestId">Bounded test id (<c>none</c> without one, <c>other</c> beyond the cap).</param>
/// <param name="Scenario">Bounded scenario name, with the same rules.</param>
public sealed record LoadTestLabels(string TestId, string Scenario)
{
    /// <summary>Name of the <see cref="Activity"/> custom property that holds the instance.</summary>
    public const string ActivityPropertyName = "Observability.LoadTestLabels";

    /// <summary>
    /// Stores these labels on the local-root span <paramref name="localRoot"/> and labels the samples of its thread
    /// from the span's start on (the profiler tracked the span before its labels were known).
    /// </summary>
    public void AttachTo(Activity localRoot)
    {
        ArgumentNullException.ThrowIfNull(localRoot);
        localRoot.SetCustomProperty(ActivityPropertyName, this);
        ThreadSpanTracker.Relabel(localRoot, this);
    }

    /// <summary>The labels attached to <paramref name="activity"/>, or null.</summary>
    public static LoadTestLabels? Of(Activity activity) =>
        activity?.GetCustomProperty(ActivityPropertyName) as LoadTestLabels;
}
