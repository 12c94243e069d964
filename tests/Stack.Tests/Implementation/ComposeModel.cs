using System.Globalization;
using TestSupport;
using YamlDotNet.RepresentationModel;

namespace Stack.Tests.Implementation;

/// <summary>
/// The compose file as Debian's docker-compose (v1) resolves it: variables interpolated with their defaults,
/// relative paths made absolute. Parsing that output checks the file the way Compose reads it.
/// </summary>
internal sealed class ComposeModel
{
    private ComposeModel(IReadOnlyDictionary<string, ComposeService> services, IReadOnlySet<string> volumes)
    {
        Services = services;
        NamedVolumes = volumes;
    }

    public IReadOnlyDictionary<string, ComposeService> Services { get; }

    public IReadOnlySet<string> NamedVolumes { get; }

    public static async Task<ProcessResult> RunConfigAsync()
    {
        string compose;
        try
        {
            compose = Tools.DockerCompose;
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                "docker-compose (v1, Debian package `docker-compose`) is needed on PATH to validate docker-compose.yml; " +
                "scripts/install-deps.sh installs it. " + e.Message, e);
        }

        // Without a .env file the defaults written in docker-compose.yml apply, as on a fresh clone.
        var env = new Dictionary<string, string> { ["COMPOSE_PROJECT_NAME"] = "stacktest" };
        return await ProcessRunner.RunAsync(
            compose, ["-f", StackPaths.ComposeFile, "--profile", "load", "config"], TimeSpan.FromMinutes(1), StackPaths.Root, env);
    }

    private static readonly Lazy<Task<ComposeModel>> Cached = new(LoadUncachedAsync);

    /// <summary>The resolved file, computed once per test run (the file does not change while tests run).</summary>
    public static Task<ComposeModel> LoadAsync() => Cached.Value;

    private static async Task<ComposeModel> LoadUncachedAsync()
    {
        var result = await RunConfigAsync();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"docker-compose config failed ({result.ExitCode}): {result.StdErr}{result.StdOut}");
        }

        var root = Yaml.Load(result.StdOut, "docker-compose config output");
        var services = root.Map("services")!.Entries().ToDictionary(e => e.Key, e => Parse(e.Key, e.Value));
        var volumes = root.Map("volumes").Entries().Select(e => e.Key).ToHashSet();
        return new ComposeModel(services, volumes);
    }

    private static ComposeService Parse(string name, YamlNode node)
    {
        var mounts = node.Seq("volumes").Select(ParseMount).ToList();
        var ports = new HashSet<int>();
        foreach (var port in node.Seq("ports"))
        {
            ports.Add(port is YamlMappingNode map
                ? int.Parse(map.Str("target")!, CultureInfo.InvariantCulture)
                : ContainerPortOf(((YamlScalarNode)port).Value!));
        }

        foreach (var exposed in node.Scalars("expose"))
        {
            ports.Add(int.Parse(exposed.Split('/')[0], CultureInfo.InvariantCulture));
        }

        var env = node.Map("environment").Entries().ToDictionary(e => e.Key, e => ((YamlScalarNode)e.Value).Value ?? "");
        return new ComposeService(
            name,
            node.Str("image"),
            node.Get("build") is not null,
            node.Scalars("profiles").ToList(),
            mounts,
            ports,
            env,
            node.Scalars("command").ToList(),
            node.Get("healthcheck") is not null);
    }

    private static (string Source, string Target) ParseMount(YamlNode node)
    {
        if (node is YamlMappingNode map)
        {
            return (map.Str("source")!, map.Str("target")!);
        }

        var parts = ((YamlScalarNode)node).Value!.Split(':');
        return (parts[0], parts[1]);
    }

    // "127.0.0.1:9464:9464/tcp", "8080:8080", "9464"
    private static int ContainerPortOf(string spec)
    {
        var withoutProto = spec.Split('/')[0];
        return int.Parse(withoutProto[(withoutProto.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);
    }
}
