namespace Articles.Api.Tests.Infrastructure;

/// <summary>Tests that measure CPU profiles run alone, after the others: a busy machine starves the work they sample.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class AloneCollection
{
    public const string Name = "Alone";
}
