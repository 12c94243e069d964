using System.Diagnostics;

namespace Observability.Profiling.Implementation.Spans;

/// <summary>
/// The value the span tracker's AsyncLocal carries through a request: the local root's ids and, once the hosting
/// middleware read the request's baggage, its load-test labels. It lives as long as the request's execution context;
/// the threads' histories copy its values (<see cref="TrackedSpan"/>), never the object.
/// </summary>
internal sealed class RootSpan
{
    private readonly TrackedSpan _span;
    private volatile LoadTestLabels? _labels;

    public RootSpan(Activity activity) => _span = TrackedSpan.From(activity);

    public ulong SpanId => _span.SpanId;

    public LoadTestLabels? Labels
    {
        get => _labels;
        set => _labels = value;
    }

    /// <summary>The values a history records now.</summary>
    public TrackedSpan Snapshot() => _span with { Labels = _labels };
}
