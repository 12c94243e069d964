using System.Globalization;
using System.Text.RegularExpressions;

namespace Stack.Tests.Implementation;

/// <summary>Every network address written in the stack's configuration files, with where it was found.</summary>
internal static partial class ServiceReferences
{
    public sealed record Reference(string Where, string Host, int Port);

    public static IEnumerable<Reference> All(ComposeModel compose)
    {
        var prometheus = Yaml.LoadFile(StackPaths.PrometheusConfig);
        foreach (var job in prometheus.Seq("scrape_configs"))
        {
            foreach (var target in job.Seq("static_configs").SelectMany(s => s.Scalars("targets")))
            {
                yield return HostPort($"prometheus.yml job {job.Str("job_name")}", target);
            }
        }

        foreach (var target in prometheus.Map("alerting").Seq("alertmanagers").SelectMany(a => a.Seq("static_configs")).SelectMany(s => s.Scalars("targets")))
        {
            yield return HostPort("prometheus.yml alerting", target);
        }

        var collector = Yaml.LoadFile(StackPaths.CollectorConfig);
        foreach (var (name, exporter) in collector.Map("exporters").Entries())
        {
            var endpoint = exporter.Str("endpoint") ?? throw new InvalidDataException($"collector exporter {name} has no endpoint");
            yield return endpoint.Contains("://", StringComparison.Ordinal)
                ? FromUrl($"collector exporter {name}", endpoint)
                : HostPort($"collector exporter {name}", endpoint);
        }

        var tempo = Yaml.LoadFile(StackPaths.TempoConfig);
        foreach (var rw in tempo.Map("metrics_generator").Map("storage").Seq("remote_write"))
        {
            yield return FromUrl("tempo metrics_generator remote_write", rw.Str("url")!);
        }

        foreach (var ds in Yaml.LoadFile(StackPaths.GrafanaDatasources).Seq("datasources"))
        {
            yield return FromUrl($"grafana datasource {ds.Str("uid")}", ds.Str("url")!);
        }

        foreach (var service in compose.Services.Values)
        {
            foreach (var (key, value) in service.Environment)
            {
                foreach (Match m in Url().Matches(value))
                {
                    if (m.Groups["host"].Value != "+")
                    {
                        yield return FromUrl($"compose {service.Name} {key}", m.Value);
                    }
                }

                var host = HostKey().Match(value);
                if (host.Success)
                {
                    yield return new Reference($"compose {service.Name} {key}", host.Groups[1].Value, int.Parse(host.Groups[2].Value, CultureInfo.InvariantCulture));
                }
            }
        }
    }

    private static Reference FromUrl(string where, string url)
    {
        var uri = new Uri(url);
        return new Reference(where, uri.Host, uri.Port);
    }

    private static Reference HostPort(string where, string value)
    {
        var colon = value.LastIndexOf(':');
        if (colon <= 0)
        {
            throw new InvalidDataException($"{where}: '{value}' is not host:port");
        }

        return new Reference(where, value[..colon], int.Parse(value[(colon + 1)..], CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"https?://(?<host>[A-Za-z0-9.+-]+)(:\d+)?[^\s,;]*")]
    private static partial Regex Url();

    // Npgsql connection strings: Host=postgres;Port=5432
    [GeneratedRegex(@"Host=([A-Za-z0-9.-]+);Port=(\d+)")]
    private static partial Regex HostKey();
}
