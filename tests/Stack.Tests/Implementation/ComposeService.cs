namespace Stack.Tests.Implementation;

/// <summary>One service of the resolved compose file (after `docker-compose config`).</summary>
internal sealed record ComposeService(
    string Name,
    string? Image,
    bool HasBuild,
    IReadOnlyList<string> Profiles,
    IReadOnlyList<(string Source, string Target)> Mounts,
    IReadOnlySet<int> ContainerPorts,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string> Command,
    bool HasHealthCheck);
