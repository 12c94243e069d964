namespace Observability.Profiling.Implementation.Profiles;

/// <summary>Per-sample labels: the local-root span and the bounded load-test context.</summary>
internal readonly record struct SampleLabels(string? SpanId, string? TraceId, string? TestId, string? Scenario)
{
    public static readonly SampleLabels None = default;

    public IEnumerable<KeyValuePair<string, string>> AsPairs()
    {
        if (SpanId is not null) yield return new(TelemetryNames.SpanIdLabel, SpanId);
        if (TraceId is not null) yield return new(TelemetryNames.TraceIdLabel, TraceId);
        if (TestId is not null) yield return new(TelemetryNames.K6TestIdLabel, TestId);
        if (Scenario is not null) yield return new(TelemetryNames.K6ScenarioLabel, Scenario);
    }
}
