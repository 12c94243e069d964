namespace Observability.Profiling.Implementation.Profiles;

/// <summary>The three profiles the package produces.</summary>
internal enum ProfileKind
{
    Cpu,
    Wall,
    Request,
}

/// <summary>Names of each profile on the wire (docs/telemetry-names.md).</summary>
internal static class ProfileKinds
{
    public static readonly ProfileKind[] All = { ProfileKind.Cpu, ProfileKind.Wall, ProfileKind.Request };

    /// <summary>The <c>type</c> used by the debug endpoints and the metric label.</summary>
    public static string Id(this ProfileKind kind) => kind switch
    {
        ProfileKind.Cpu => "cpu",
        ProfileKind.Wall => "wall",
        _ => "request",
    };

    public static bool TryParse(string? text, out ProfileKind kind)
    {
        switch (text)
        {
            case "cpu": kind = ProfileKind.Cpu; return true;
            case "wall": kind = ProfileKind.Wall; return true;
            case "request": kind = ProfileKind.Request; return true;
            default: kind = default; return false;
        }
    }

    /// <summary>Pyroscope's <c>__name__</c> series label.</summary>
    public static string SeriesName(this ProfileKind kind) => kind switch
    {
        ProfileKind.Cpu => "process_cpu",
        ProfileKind.Wall => "wall",
        _ => "request",
    };

    /// <summary>Sample type and period type (the same name, unit nanoseconds).</summary>
    public static string SampleType(this ProfileKind kind) => kind switch
    {
        ProfileKind.Cpu => "cpu",
        ProfileKind.Wall => "wall",
        _ => "request_time",
    };

    public const string Unit = "nanoseconds";
}
