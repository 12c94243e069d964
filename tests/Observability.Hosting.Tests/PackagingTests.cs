using System.IO.Compression;
using System.Xml.Linq;
using TestSupport;

namespace Observability.Hosting.Tests;

/// <summary>
/// What a user adds: the packages scripts/pack.sh makes restore into a fresh web app of its own (no project
/// references, no repository props), and that app with only <c>builder.AddObservability()</c> serves its metrics.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class PackagingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("obs-pack-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    [Fact]
    public async Task The_packed_kit_restores_builds_and_runs_in_a_fresh_app_with_one_line()
    {
        var feed = Path.Combine(_dir, "feed");
        var pack = await ProcessRunner.RunAsync("bash", [RepoPaths.Combine("scripts", "pack.sh"), feed], TimeSpan.FromMinutes(8),
            env: new Dictionary<string, string> { ["PACK_ARTIFACTS"] = Path.Combine(_dir, "artifacts") });
        Assert.True(pack.ExitCode == 0, pack.Output);
        var version = pack.StdOut.Trim().Split('\n')[^1].Trim();
        Assert.Matches(@"^\d+\.\d+\.\d+-dev\.\d+", version);

        // Hosting depends on Profiling of the same version, and both are in the feed: no NU1101 for the user.
        var hosting = Path.Combine(feed, $"Observability.Hosting.{version}.nupkg");
        Assert.True(File.Exists(Path.Combine(feed, $"Observability.Profiling.{version}.nupkg")), string.Join(", ", Directory.GetFiles(feed)));
        Assert.Contains(Dependencies(hosting), d => d.Id == "Observability.Profiling" && d.Version == version);

        var app = Path.Combine(_dir, "app");
        Directory.CreateDirectory(app);
        await File.WriteAllTextAsync(Path.Combine(app, "FreshApp.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk.Web">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Observability.Hosting" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        await File.WriteAllTextAsync(Path.Combine(app, "Program.cs"), """
            var builder = WebApplication.CreateBuilder(args);
            builder.AddObservability();
            var app = builder.Build();
            app.MapGet("/", () => "hello");
            app.Run();
            """);
        // The feed first, then the usual registry; a cache of its own keeps the test's packages out of the user's.
        await File.WriteAllTextAsync(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="kit" value="{feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
              </packageSources>
              <fallbackPackageFolders>
                <add key="user" value="{Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages")}" />
              </fallbackPackageFolders>
            </configuration>
            """);
        var env = new Dictionary<string, string> { ["NUGET_PACKAGES"] = Path.Combine(_dir, "nuget-cache"), ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" };
        var build = await ProcessRunner.RunAsync("dotnet", ["build", "-c", "Release", "-o", Path.Combine(_dir, "out")], TimeSpan.FromMinutes(8), app, env);
        Assert.True(build.ExitCode == 0, build.Output);

        var port = FreePort.Tcp();
        var managementPort = FreePort.Tcp();
        var log = Path.Combine(_dir, "app.log");
        using var process = ProcessRunner.StartBackground("dotnet", [Path.Combine(_dir, "out", "FreshApp.dll")], log, app, new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["Observability__Management__Port"] = managementPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var hello = await Eventually.ReturnsAsync(async () =>
            {
                if (process.HasExited) throw new InvalidOperationException($"the fresh app exited with {process.ExitCode}: {await File.ReadAllTextAsync(log)}");
                try { return await http.GetStringAsync($"http://127.0.0.1:{port}/"); }
                catch (HttpRequestException) { return ""; }
            }, text => text == "hello", TimeSpan.FromSeconds(60), "the fresh app answering");
            var metrics = await http.GetStringAsync($"http://127.0.0.1:{managementPort}/metrics");
            Assert.Contains("http_server_request_duration_seconds_bucket{http_route=\"/\"", metrics);
            Assert.Contains("Observability for FreshApp", await File.ReadAllTextAsync(log));
        }
        finally
        {
            await ServerProcess.StopAsync(process);
        }
    }

    private static List<(string Id, string Version)> Dependencies(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        var nuspec = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        using var stream = nuspec.Open();
        return XDocument.Load(stream).Descendants().Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, (string)e.Attribute("version")!)).ToList();
    }
}
