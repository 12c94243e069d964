using System.Diagnostics;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The host's <see cref="DistributedContextPropagator"/> with baggage held to the W3C limits (64 members, 8192 bytes)
/// before it is parsed. ASP.NET Core extracts the whole <c>baggage</c> header into every server span it creates
/// once a listener is present, with no limit of its own: a hostile 8 KB header of 700 members cost ~170 µs and
/// ~130 KB of allocations per request. Members past the limits are dropped, as <see cref="BaggageParser"/> does.
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
            value = Bound(value);
            if (values is not null) values = BoundAll(values);
        });
    }

    /// <summary>The longest prefix of whole members within the limits (the value itself when it is within them).</summary>
    internal static string? Bound(string? value)
    {
        if (value is null) return null;
        var members = 1;
        for (var i = 0; i < value.Length; i++)
        {
            if (i >= BaggageParser.MaxBytes) return value[..LastCommaBefore(value, i)];
            if (value[i] == ',' && ++members > BaggageParser.MaxMembers) return value[..i];
        }

        return value;
    }

    private static int LastCommaBefore(string value, int end)
    {
        var comma = value.LastIndexOf(',', end - 1);
        return comma < 0 ? 0 : comma;
    }

    // Several baggage headers count together, as in BaggageParser.
    private static List<string> BoundAll(IEnumerable<string> values)
    {
        var bounded = new List<string>();
        var joined = Bound(string.Join(',', values)) ?? "";
        if (joined.Length > 0) bounded.Add(joined);
        return bounded;
    }
}
