using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Observability.Profiling;

namespace Observability.Hosting.Implementation;

/// <summary>
/// k6 correlation of one request: copies the <c>k6.*</c> baggage entries onto the server span and stores the
/// bounded test id and scenario on it for the request metrics and the profiler.
/// </summary>
internal sealed class LoadTestCorrelation
{
    private readonly BoundedLabelSet _testIds;
    private readonly BoundedLabelSet _scenarios;

    public LoadTestCorrelation(LoadTestOptions options, HostingMetrics metrics, TimeProvider? time = null)
    {
        var testIdOverflow = metrics.LabelOverflow.WithLabels("testid");
        var scenarioOverflow = metrics.LabelOverflow.WithLabels("scenario");
        // A retired test id takes its request series with it; scenarios label only profile samples.
        _testIds = new BoundedLabelSet(options.MaxTestIds, () => testIdOverflow.Inc(), options.LabelIdleTimeout, time, metrics.RetireTestId);
        _scenarios = new BoundedLabelSet(options.MaxScenarios, () => scenarioOverflow.Inc(), options.LabelIdleTimeout, time);
    }

    public static readonly LoadTestLabels NoTest = new(BoundedLabelSet.None, BoundedLabelSet.None);

    /// <summary>Reads the request's baggage; returns the bounded labels (<see cref="NoTest"/> without k6 entries).</summary>
    public LoadTestLabels Apply(HttpRequest request, Activity? serverActivity)
    {
        if (!request.Headers.TryGetValue("baggage", out var baggage)) return NoTest;

        string? testId = null, testRunId = null, scenario = null, name = null;
        BaggageParser.ReadK6Entries(baggage, (key, value) =>
        {
            switch (key)
            {
                case TelemetryNames.K6TestIdAttribute: testId ??= value; break;
                case TelemetryNames.K6TestRunIdAttribute: testRunId ??= value; break;
                case TelemetryNames.K6ScenarioAttribute: scenario ??= value; break;
                case TelemetryNames.K6NameAttribute: name ??= value; break;
            }
        });
        var effectiveTestId = testId ?? testRunId;
        if (effectiveTestId is null && scenario is null && name is null) return NoTest;

        if (serverActivity is { IsAllDataRequested: true })
        {
            if (effectiveTestId is not null) serverActivity.SetTag(TelemetryNames.K6TestIdAttribute, effectiveTestId);
            if (testRunId is not null) serverActivity.SetTag(TelemetryNames.K6TestRunIdAttribute, testRunId);
            if (scenario is not null) serverActivity.SetTag(TelemetryNames.K6ScenarioAttribute, scenario);
            if (name is not null) serverActivity.SetTag(TelemetryNames.K6NameAttribute, name);
        }
        return Labels(_testIds.Map(effectiveTestId), _scenarios.Map(scenario));
    }

    /// <summary>
    /// One shared instance per (test id, scenario): the profiler's thread histories keep the labels of recent requests,
    /// and shared instances keep no request's memory alive. The pairs are bounded by the two caps; past a generous
    /// limit (ids retired and replaced over a long life) a fresh instance is returned.
    /// </summary>
    private LoadTestLabels Labels(string testId, string scenario)
    {
        if (_labels.TryGetValue((testId, scenario), out var known)) return known;
        var labels = new LoadTestLabels(testId, scenario);
        if (_labels.Count < MaxSharedLabels) _labels.TryAdd((testId, scenario), labels);
        return labels;
    }

    private const int MaxSharedLabels = 10_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), LoadTestLabels> _labels = new();
}
