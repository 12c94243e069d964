using Faults.Tests.Implementation;

namespace Faults.Tests;

/// <summary>
/// All fault tests run one after another: each starts a full Articles.Api host (with its profiler's EventPipe
/// session) and puts load on it, and two such hosts at once on a small CI machine would only measure each other.
/// </summary>
[CollectionDefinition(Name)]
public sealed class FaultsCollection : ICollectionFixture<PostgresFixture>
{
    public const string Name = "Faults";
}
