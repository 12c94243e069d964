using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>Fills the profiles of a report: CPU, wall and request time, merged over the window for the test id.</summary>
internal sealed class PyroscopeSection(PyroscopeClient pyroscope, Progress progress, string? serviceName, int maxNodes = 2048)
{
    // Profile type ids of the profiler (docs/telemetry-names.md).
    public static readonly IReadOnlyList<(string Kind, string TypeId)> Types =
    [
        ("cpu", "process_cpu:cpu:nanoseconds:cpu:nanoseconds"),
        ("wall", "wall:wall:nanoseconds:wall:nanoseconds"),
        ("request", "request:request_time:nanoseconds:request_time:nanoseconds"),
    ];

    public const string TestIdLabel = "k6_testid";

    public string Selector(string testId)
    {
        var service = string.IsNullOrEmpty(serviceName) ? "" : $"service_name=\"{Escape(serviceName)}\",";
        return $"{{{service}{TestIdLabel}=\"{Escape(testId)}\"}}";
    }

    public async Task CollectAsync(RunReport report, CancellationToken ct)
    {
        // One refused profile type must not cost the others; only when every type fails is Pyroscope "down".
        var failures = new List<(string Kind, BackendException Error)>();
        foreach (var (kind, typeId) in Types)
        {
            progress.Step($"Pyroscope: {kind} profile");
            ProfileData? profile;
            try
            {
                profile = await pyroscope.RenderAsync(typeId, Selector(report.TestId), report.From, report.To, maxNodes, ct);
            }
            catch (BackendException ex)
            {
                failures.Add((kind, ex));
                continue;
            }

            if (profile is null)
            {
                report.Missing.Add($"{kind} profile: Pyroscope has no {typeId} samples for {Selector(report.TestId)} in the window.");
                continue;
            }

            report.Profiles[kind] = profile;
        }

        if (failures.Count == Types.Count)
        {
            throw failures[0].Error;
        }

        foreach (var (kind, error) in failures)
        {
            progress.Warn(error.Message);
            report.Missing.Add($"{kind} profile: {error.Detail}");
        }
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
