using YamlDotNet.RepresentationModel;

namespace Stack.Tests.Implementation;

/// <summary>One pipeline of the collector's service section.</summary>
internal sealed record CollectorPipeline(string Id, IReadOnlyList<string> Receivers, IReadOnlyList<string> Processors, IReadOnlyList<string> Exporters)
{
    /// <summary>traces, metrics or logs: the part of the id before the slash.</summary>
    public string Signal => Id.Split('/')[0];

    public static IReadOnlyList<CollectorPipeline> From(YamlMappingNode config) =>
        config.Map("service").Map("pipelines").Entries()
            .Select(e => new CollectorPipeline(e.Key, e.Value.Scalars("receivers").ToList(), e.Value.Scalars("processors").ToList(), e.Value.Scalars("exporters").ToList()))
            .ToList();

    /// <summary>The component type of an id such as <c>otlp_grpc/tempo</c>.</summary>
    public static string TypeOf(string id) => id.Split('/')[0];
}
