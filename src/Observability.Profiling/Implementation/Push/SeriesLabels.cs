using Observability.Profiling.Implementation.Profiles;

namespace Observability.Profiling.Implementation.Push;

/// <summary>The series labels of a pushed profile: <c>__name__</c>, <c>service_name</c>, <c>spy_name</c>, then user labels.</summary>
internal static class SeriesLabels
{
    public const string SpyName = "dotnet-eventpipe";
    private const int MaxUserLabels = 20; // Pyroscope accepts 30 series labels in all.

    public static List<KeyValuePair<string, string>> For(ProfileKind kind, ProfilingOptions options)
    {
        var labels = new List<KeyValuePair<string, string>>
        {
            new("__name__", kind.SeriesName()),
            new("service_name", options.ApplicationName ?? ProfilingOptions.DefaultApplicationName),
            new("spy_name", SpyName),
        };
        foreach (var (key, value) in options.Labels.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (labels.Count >= MaxUserLabels + 3) break;
            // Reserved and malformed keys would make the server refuse the whole profile.
            if (key.StartsWith("__", StringComparison.Ordinal) || key is "service_name" or "spy_name") continue;
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.')) continue;
            if (string.IsNullOrEmpty(value) || value.Length > 2048) continue;
            labels.Add(new(key, value));
        }
        return labels;
    }
}
