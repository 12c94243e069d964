using TestSupport.Pprof;

namespace Observability.Profiling.Tests;

/// <summary>One push as <see cref="PushReceiver"/> decoded it: series labels, the pprof profiles and the request headers.</summary>
internal sealed class ReceivedPush
{
    public Dictionary<string, string> Labels { get; } = new();
    public List<PprofProfile> Profiles { get; } = new();
    public int SeriesCount { get; set; }
    public string? ContentType { get; set; }
    public string? Authorization { get; set; }
    public string? Tenant { get; set; }
}
