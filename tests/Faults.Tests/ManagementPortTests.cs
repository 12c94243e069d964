using System.Net;
using Faults.Tests.Implementation;

namespace Faults.Tests;

/// <summary>Metrics and profiles live on the management port only: the public port answers 404 for them.</summary>
[Collection(FaultsCollection.Name)]
public sealed class ManagementPortTests(PostgresFixture postgres)
{
    public static TheoryData<string> ManagementPaths => new()
    {
        "/metrics",
        "/debug/pprof/profile?seconds=1",
        "/debug/pprof/profile?seconds=1&type=wall",
        "/debug/pprof/flamegraph?seconds=1",
    };

    [Theory]
    [MemberData(nameof(ManagementPaths))]
    public async Task Management_paths_are_not_served_on_the_public_port(string path)
    {
        await using var host = ApiHost.Start(await postgres.Server.CreateDatabaseAsync());

        using var onPublic = await host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.NotFound, onPublic.StatusCode);
        var publicBody = await onPublic.Content.ReadAsStringAsync();
        Assert.DoesNotContain("# TYPE", publicBody, StringComparison.Ordinal);

        // The same path does exist, on the management port: the 404 above is not just a wrong path.
        using var management = new HttpClient { BaseAddress = host.ManagementAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var onManagement = await management.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, onManagement.StatusCode);
        Assert.NotEqual(host.PublicAddress.Port, host.ManagementAddress.Port);
    }
}
