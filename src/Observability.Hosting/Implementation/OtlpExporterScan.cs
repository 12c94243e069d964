using System.Reflection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Reads a built tracer, logger or meter provider for the OTLP exporters in it and the URL each one sends to. The SDK
/// keeps all of this internal (the provider's processor, a composite processor's list, an export processor's
/// exporter, the exporter's client and its endpoint), so it is read by reflection on the pinned SDK: every step
/// that does not find what it expects makes the answer <c>null</c>, "cannot tell", never an exception. The
/// scan tests run it against the real SDK, so an upgrade that moves any of these fails a test.
/// </summary>
internal static class OtlpExporterScan
{
    private const BindingFlags Members = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic;

    /// <summary>
    /// The endpoints of the OTLP exporters of <paramref name="provider"/> other than the one of
    /// <paramref name="own"/>, or null when the provider cannot be read or <paramref name="own"/> is not in it
    /// (then the walk is not trusted to have seen everything).
    /// </summary>
    public static IReadOnlyList<Uri>? OtherEndpoints<T>(BaseProvider provider, BaseProcessor<T> own)
        where T : class
    {
        try
        {
            var processors = new List<BaseProcessor<T>>();
            if (Read(provider, "Processor") is not BaseProcessor<T> root || !Flatten(root, processors, depth: 0)) return null;
            if (!processors.Any(p => ReferenceEquals(p, own))) return null;
            var endpoints = new List<Uri>();
            foreach (var processor in processors)
            {
                if (ReferenceEquals(processor, own) || processor is not BaseExportProcessor<T>) continue;
                if (Read(processor, "Exporter") is not { } exporter) return null;
                if (exporter is not (OtlpTraceExporter or OtlpLogExporter)) continue;
                if (Endpoint(exporter) is not { } endpoint) return null;
                endpoints.Add(endpoint);
            }
            return endpoints;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>
    /// The endpoints of the OTLP exporters of the meter provider <paramref name="own"/> belongs to, other than
    /// <paramref name="own"/>'s, or null when the provider cannot be read, is not built yet, or does not hold
    /// <paramref name="own"/>.
    /// </summary>
    public static IReadOnlyList<Uri>? OtherEndpoints(MetricReader own)
    {
        try
        {
            if (Read(own, "parentProvider") is not BaseProvider provider) return null;
            var readers = new List<MetricReader>();
            if (Read(provider, "Reader") is not MetricReader root || !Flatten(root, readers, depth: 0)) return null;
            if (!readers.Any(r => ReferenceEquals(r, own))) return null;
            var endpoints = new List<Uri>();
            foreach (var reader in readers)
            {
                if (ReferenceEquals(reader, own) || reader is not BaseExportingMetricReader) continue;
                if (Read(reader, "exporter") is not OtlpMetricExporter exporter) continue;
                if (Endpoint(exporter) is not { } endpoint) return null;
                endpoints.Add(endpoint);
            }
            return endpoints;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>The URL an OTLP exporter sends to (signal path included), or null when it cannot be read.</summary>
    public static Uri? Endpoint(object exporter)
    {
        try
        {
            var client = Read(Read(exporter, "transmissionHandler"), "ExportClient");
            // The log exporter builds its client at the first export (LazyExportClient); build it now, as that export would.
            if (client?.GetType().Name == "LazyExportClient")
                client = Read(Read(client, "exportClient"), "Value");
            return Read(client, "Endpoint") as Uri;
        }
        catch (Exception)
        {
            return null;
        }
    }

    // A composite processor's members in order (composites nested in it included), or false when it cannot be read.
    private static bool Flatten<T>(BaseProcessor<T> processor, List<BaseProcessor<T>> into, int depth)
        where T : class
    {
        if (depth > 16) return false;
        if (processor is not CompositeProcessor<T>)
        {
            into.Add(processor);
            return true;
        }
        for (var node = Read(processor, "Head"); node is not null; node = Read(node, "Next"))
        {
            if (Read(node, "Value") is not BaseProcessor<T> member || !Flatten(member, into, depth + 1)) return false;
        }
        return true;
    }

    // A composite reader's members in order, or false when it cannot be read.
    private static bool Flatten(MetricReader reader, List<MetricReader> into, int depth)
    {
        if (depth > 16) return false;
        if (reader.GetType().Name != "CompositeMetricReader")
        {
            into.Add(reader);
            return true;
        }
        for (var node = Read(reader, "Head"); node is not null; node = Read(node, "Next"))
        {
            if (Read(node, "Value") is not MetricReader member || !Flatten(member, into, depth + 1)) return false;
        }
        return true;
    }

    // A field or property of that name, declared on the object's type or a base type. A member that is not there
    // throws (the callers turn that into "cannot tell"): a missing member must not pass for an empty value.
    private static object? Read(object? target, string name)
    {
        ArgumentNullException.ThrowIfNull(target, name);
        for (var type = target.GetType(); type is not null; type = type.BaseType)
        {
            if (type.GetField(name, Members | BindingFlags.DeclaredOnly) is { } field) return field.GetValue(target);
            if (type.GetProperty(name, Members | BindingFlags.DeclaredOnly) is { GetMethod: not null } property
                && property.GetIndexParameters().Length == 0)
                return property.GetValue(target);
        }
        throw new MissingMemberException(target.GetType().FullName, name);
    }
}
