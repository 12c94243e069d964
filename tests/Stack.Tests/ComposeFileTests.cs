using System.Text.RegularExpressions;
using Stack.Tests.Implementation;

namespace Stack.Tests;

/// <summary>docker-compose.yml as Compose reads it: valid, pinned, mounts present, no secrets, one comment per service.</summary>
public sealed partial class ComposeFileTests
{
    [Fact]
    public async Task Docker_compose_config_accepts_the_file()
    {
        var result = await ComposeModel.RunConfigAsync();
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("services:", result.StdOut);
    }

    [Theory]
    [InlineData("postgres", "postgres:18")]
    [InlineData("redis", "redis:7.4.9")]
    [InlineData("otel-collector", "otel/opentelemetry-collector-contrib:0.159.0")]
    [InlineData("tempo", "grafana/tempo:3.0.3")]
    [InlineData("loki", "grafana/loki:3.7.6")]
    [InlineData("prometheus", "prom/prometheus:v3.14.0")]
    [InlineData("pyroscope", "grafana/pyroscope:2.2.1")]
    [InlineData("alertmanager", "prom/alertmanager:v0.34.0")]
    [InlineData("grafana", "grafana/grafana:13.2.0")]
    [InlineData("k6", "grafana/k6:2.2.0")]
    public async Task Service_runs_the_pinned_image(string service, string image)
    {
        var compose = await ComposeModel.LoadAsync();
        Assert.Equal(image, compose.Services[service].Image);
    }

    [Fact]
    public async Task Every_image_is_pinned_to_a_version_tag()
    {
        var compose = await ComposeModel.LoadAsync();
        Assert.Equal(11, compose.Services.Count);
        foreach (var service in compose.Services.Values.Where(s => !s.HasBuild))
        {
            var image = service.Image ?? "";
            var tag = image.Contains(':') ? image[(image.LastIndexOf(':') + 1)..] : "";
            Assert.True(VersionTag().IsMatch(tag), $"{service.Name}: image '{image}' is not pinned to a version tag");
        }
    }

    [Fact]
    public async Task Every_mounted_path_exists_and_every_named_volume_is_declared()
    {
        var compose = await ComposeModel.LoadAsync();
        var mounts = compose.Services.Values.SelectMany(s => s.Mounts.Select(m => (s.Name, m.Source))).ToList();
        Assert.Contains(mounts, m => m.Source.EndsWith("otel-collector/config.yaml", StringComparison.Ordinal));
        foreach (var (service, source) in mounts)
        {
            if (Path.IsPathRooted(source))
            {
                Assert.True(File.Exists(source) || Directory.Exists(source), $"{service} mounts {source}, which does not exist");
                Assert.StartsWith(StackPaths.Root, source);
            }
            else
            {
                Assert.True(compose.NamedVolumes.Contains(source), $"{service} mounts volume '{source}', which is not declared");
            }
        }
    }

    [Fact]
    public async Task The_api_is_built_from_its_dockerfile_and_wired_to_the_stack()
    {
        var compose = await ComposeModel.LoadAsync();
        var api = compose.Services["articles-api"];
        Assert.True(api.HasBuild);
        Assert.Equal("http://otel-collector:4317", api.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        Assert.Equal("http://pyroscope:4040", api.Environment["PYROSCOPE_SERVER_ADDRESS"]);
        Assert.Equal("9464", api.Environment["Observability__Management__Port"]);
        Assert.Equal("0.0.0.0", api.Environment["Observability__Management__Address"]);
        Assert.Matches("^[0-9a-f]+$", api.Environment["DOTNET_EventPipeThreadSamplingRate"]);
        Assert.Contains("Host=postgres;", api.Environment["ConnectionStrings__Articles"]);
        Assert.Contains(8080, api.ContainerPorts);
        Assert.Contains(9464, api.ContainerPorts);

        // Metrics and profiles reveal code structure: the management port is published on the host's loopback only.
        var published = File.ReadAllLines(StackPaths.ComposeFile).Where(l => l.TrimEnd().EndsWith(":9464\"", StringComparison.Ordinal)).ToList();
        Assert.Equal(["- \"127.0.0.1:${API_MANAGEMENT_PORT:-9464}:9464\""], published.Select(l => l.Trim()));
    }

    [Fact]
    public void The_api_dockerfile_exists()
    {
        // docker-compose.yml builds articles-api from src/Articles.Api/Dockerfile with the repository as context.
        Assert.True(File.Exists(Path.Combine(StackPaths.Root, "src", "Articles.Api", "Dockerfile")), "src/Articles.Api/Dockerfile is missing");
    }

    [Fact]
    public async Task K6_runs_only_on_demand_and_writes_to_prometheus()
    {
        var compose = await ComposeModel.LoadAsync();
        var k6 = compose.Services["k6"];
        Assert.Equal(["load"], k6.Profiles);
        Assert.All(compose.Services.Values.Where(s => s.Name != "k6"), s => Assert.Empty(s.Profiles));
        Assert.Equal("http://prometheus:9090/api/v1/write", k6.Environment["K6_PROMETHEUS_RW_SERVER_URL"]);
        // Windowed client quantiles: one native histogram per trend, and series that end with the run.
        Assert.Equal("true", k6.Environment["K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM"]);
        Assert.Equal("true", k6.Environment["K6_PROMETHEUS_RW_STALE_MARKERS"]);
        Assert.False(k6.Environment.ContainsKey("K6_PROMETHEUS_RW_TREND_STATS"), "trend stats are computed over the whole run, and native histograms replace them");
        Assert.Contains("experimental-prometheus-rw", k6.Command);
        Assert.Contains(k6.Command, a => a.StartsWith("testid=", StringComparison.Ordinal));
        var script = k6.Command.Last();
        var mount = k6.Mounts.Single(m => script.StartsWith(m.Target + "/", StringComparison.Ordinal));
        Assert.True(File.Exists(Path.Combine(mount.Source, script[(mount.Target.Length + 1)..])), $"k6 runs {script}, which is not in {mount.Source}");
    }

    [Theory]
    [InlineData("postgres", true)]
    [InlineData("redis", true)] // redis-cli in the image
    [InlineData("articles-api", true)] // bash in the ASP.NET Core image
    [InlineData("prometheus", true)]
    [InlineData("alertmanager", true)]
    [InlineData("grafana", true)]
    [InlineData("otel-collector", false)] // image from scratch: no shell to run a probe in
    [InlineData("tempo", false)] // distroless
    [InlineData("pyroscope", false)] // distroless
    [InlineData("loki", false)] // distroless
    public async Task Health_checks_exactly_where_the_image_has_a_shell(string service, bool expected)
    {
        var compose = await ComposeModel.LoadAsync();
        Assert.Equal(expected, compose.Services[service].HasHealthCheck);
    }

    [Fact]
    public void Every_service_has_a_comment_above_it()
    {
        var lines = File.ReadAllLines(StackPaths.ComposeFile);
        var inServices = false;
        var seen = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith("services:", StringComparison.Ordinal))
            {
                inServices = true;
                continue;
            }

            if (inServices && lines[i].Length > 0 && !char.IsWhiteSpace(lines[i][0]))
            {
                break;
            }

            if (inServices && ServiceLine().IsMatch(lines[i]))
            {
                seen++;
                var previous = lines[..i].Last(l => l.Trim().Length > 0);
                Assert.True(previous.TrimStart().StartsWith('#'), $"service line '{lines[i].Trim()}' has no comment above it");
            }
        }

        Assert.Equal(11, seen);
    }

    [Fact]
    public void Every_variable_has_the_same_default_in_env_example()
    {
        var compose = File.ReadAllText(StackPaths.ComposeFile);
        var example = EnvFile.Read(StackPaths.EnvExample);
        var uses = Interpolation().Matches(compose).Select(m => (Name: m.Groups[1].Value, Default: m.Groups[2].Value)).ToList();
        Assert.NotEmpty(uses);
        foreach (var (name, value) in uses)
        {
            Assert.True(example.TryGetValue(name, out var documented), $".env.example does not list {name}");
            Assert.Equal(documented, value);
        }

        Assert.DoesNotMatch(@"(?<!\$)\$\{[A-Z0-9_]+\}", compose); // every variable has a default ($$ is a literal $)
        Assert.All(example.Keys, key => Assert.True(uses.Any(u => u.Name == key), $".env.example lists {key}, which docker-compose.yml does not use"));
    }

    [Fact]
    public void No_password_is_written_outside_a_variable_default()
    {
        foreach (var line in File.ReadAllLines(StackPaths.ComposeFile).Where(l => !l.TrimStart().StartsWith('#')))
        {
            // Values taken from variables (with their documented demo defaults) are fine; literals are not.
            var literal = Interpolation().Replace(line, "");
            Assert.False(SecretAssignment().IsMatch(literal), $"a secret is written literally: {line.Trim()}");
        }
    }

    [GeneratedRegex(@"^v?\d+(\.\d+)*$")]
    private static partial Regex VersionTag();

    [GeneratedRegex(@"^  [a-z0-9-]+:\s*$")]
    private static partial Regex ServiceLine();

    [GeneratedRegex(@"\$\{([A-Z0-9_]+):-([^}]*)\}")]
    private static partial Regex Interpolation();

    [GeneratedRegex(@"(?i)(?:password|secret|token)\w*[=:]\s*([^\s;]+)")]
    private static partial Regex SecretAssignment();
}
