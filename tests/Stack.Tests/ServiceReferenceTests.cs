using Stack.Tests.Implementation;

namespace Stack.Tests;

/// <summary>Every address in the configuration files names a compose service and a port that service listens on.</summary>
public sealed class ServiceReferenceTests
{
    [Fact]
    public async Task Every_address_resolves_to_a_compose_service_port()
    {
        var compose = await ComposeModel.LoadAsync();
        var references = ServiceReferences.All(compose).ToList();

        // The files do reference the stack (guards against the collector above silently finding nothing).
        Assert.Contains(references, r => r.Where.StartsWith("collector exporter", StringComparison.Ordinal) && r.Host == "tempo");
        Assert.Contains(references, r => r.Where.StartsWith("prometheus.yml job articles-api", StringComparison.Ordinal) && r.Port == 9464);
        Assert.Contains(references, r => r.Where.StartsWith("grafana datasource pyroscope", StringComparison.Ordinal));
        Assert.Contains(references, r => r.Where == "compose articles-api ConnectionStrings__Articles" && r.Host == "postgres");

        var problems = new List<string>();
        foreach (var r in references)
        {
            if (r.Host == "localhost" && r.Where == "prometheus.yml job prometheus")
            {
                continue; // Prometheus scraping itself inside its own container.
            }

            if (!compose.Services.TryGetValue(r.Host, out var service))
            {
                problems.Add($"{r.Where}: '{r.Host}' is not a compose service");
            }
            else if (!service.ContainerPorts.Contains(r.Port))
            {
                problems.Add($"{r.Where}: {r.Host} does not listen on {r.Port} (ports/expose: {string.Join(",", service.ContainerPorts)})");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Receivers_in_containers_listen_on_all_interfaces()
    {
        // The collector and Tempo bind OTLP to localhost by default, which no other container can reach.
        var collector = Yaml.LoadFile(StackPaths.CollectorConfig).Map("receivers").Map("otlp").Map("protocols");
        var tempo = Yaml.LoadFile(StackPaths.TempoConfig).Map("distributor").Map("receivers").Map("otlp").Map("protocols");
        foreach (var protocols in new[] { collector, tempo })
        {
            Assert.StartsWith("0.0.0.0:", protocols.Map("grpc").Str("endpoint"));
            Assert.StartsWith("0.0.0.0:", protocols.Map("http").Str("endpoint"));
        }
    }
}
