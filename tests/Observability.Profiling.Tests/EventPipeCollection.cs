namespace Observability.Profiling.Tests;

/// <summary>Tests that use the process-wide EventPipe session or burn CPU run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EventPipeCollection
{
    public const string Name = "EventPipe";
}
