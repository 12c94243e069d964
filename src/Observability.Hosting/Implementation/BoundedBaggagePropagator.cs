using System.Diagnostics;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The host's <see cref="DistributedContextPropagator"/> with baggage held to the W3C limits (64 members, 8192 bytes)
/// before it is parsed. ASP.NET Core extracts the whole <c>baggage</c> header into every server span it creates
/// once a listener is present, with no limit of its own: a hostile 8 KB header of 700 members cost ~170 µs and
/// ~130 KB of allocations per request. Members past the limits are dropped by the same rule as in <see cref="BaggageParser"/>.
/// </summary>
internal sealed class BoundedBaggagePropagator(DistributedContextPropagator inner) : DistributedContextPropagator
{
    public override IReadOnlyCollection<string> Fields => inner.Fields;

    public override void Inject(Activity? activity, object? carrier, PropagatorSetterCallback? setter) =>
        inner.Inject(activity, carrier, setter);

    public override void ExtractTraceIdAndState(
        object? carrier, PropagatorGetterCallback? getter, out string? traceId, out string? traceState) =>
        inner.ExtractTraceIdAndState(carrier, getter, out traceId, out traceState);

    public override IEnumerable<KeyValuePair<string, string?>>? ExtractBaggage(object? carrier, PropagatorGetterCallback? getter)
    {
        if (getter is null) return inner.ExtractBaggage(carrier, getter);
        return inner.ExtractBaggage(carrier, (object? c, string name, out string? value, out IEnumerable<string>? values) =>
        {
            getter(c, name, out value, out values);
            value = BaggageParser.WithinLimits(value);
            if (values is not null) values = BoundAll(values);
        });
    }

    // Several baggage headers count together, as in BaggageParser.
    private static List<string> BoundAll(IEnumerable<string> values)
    {
        var bounded = new List<string>();
        var joined = BaggageParser.WithinLimits(string.Join(',', values)) ?? "";
        if (joined.Length > 0) bounded.Add(joined);
        return bounded;
    }
}
