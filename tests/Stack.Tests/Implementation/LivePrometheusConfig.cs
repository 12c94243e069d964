using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Stack.Tests.Implementation;

/// <summary>
/// prometheus/prometheus.yml adapted to this machine: the articles-api job (its scrape settings kept) aimed at the
/// local API's management port, the repository's rule files loaded, no Alertmanager, short intervals.
/// </summary>
internal static class LivePrometheusConfig
{
    public static string For(int managementPort)
    {
        var config = Yaml.LoadFile(StackPaths.PrometheusConfig);
        var global = config.Map("global")!;
        global.Children[new YamlScalarNode("scrape_interval")] = new YamlScalarNode("1s");
        global.Children[new YamlScalarNode("evaluation_interval")] = new YamlScalarNode("1s");
        config.Children.Remove(new YamlScalarNode("alerting"));
        config.Children[new YamlScalarNode("rule_files")] = new YamlSequenceNode(new YamlScalarNode(Path.Combine(StackPaths.PrometheusRules, "*.yml")));

        var job = config.Seq("scrape_configs").OfType<YamlMappingNode>().Single(j => j.Str("job_name") == "articles-api");
        job.Children[new YamlScalarNode("scrape_interval")] = new YamlScalarNode("1s");
        var target = new YamlScalarNode("127.0.0.1:" + managementPort.ToString(CultureInfo.InvariantCulture)) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };
        job.Children[new YamlScalarNode("static_configs")] = new YamlSequenceNode(
            new YamlMappingNode(new YamlScalarNode("targets"), new YamlSequenceNode(target)));
        config.Children[new YamlScalarNode("scrape_configs")] = new YamlSequenceNode(job);
        return Yaml.Save(config);
    }
}
