using Stack.Tests.Implementation;
using TestSupport;

namespace Stack.Tests;

/// <summary>alertmanager/alertmanager.yml routes to receivers it defines, by labels the rules set.</summary>
public sealed class AlertmanagerConfigTests
{
    private readonly YamlDotNet.RepresentationModel.YamlMappingNode _config = Yaml.LoadFile(RepoPaths.Combine("alertmanager", "alertmanager.yml"));

    [Fact]
    public void EveryRouteNamesADefinedReceiver()
    {
        var receivers = _config.Seq("receivers").Select(r => r.Str("name")).ToHashSet();
        var route = _config.Map("route");
        Assert.Contains(route.Str("receiver"), receivers);
        Assert.All(route.Seq("routes"), r => Assert.Contains(r.Str("receiver"), receivers));
    }

    [Fact]
    public void RoutingUsesLabelsTheAlertRulesSet()
    {
        var rules = StackPaths.RuleFiles.SelectMany(f => Yaml.LoadFile(f).Seq("groups")).SelectMany(g => g.Seq("rules"))
            .Where(r => r.Str("alert") is not null).ToList();
        Assert.All(rules, r => Assert.Contains(r.Map("labels").Str("severity"), new[] { "page", "ticket", "warning" }));

        var matchers = _config.Map("route").Seq("routes").SelectMany(r => r.Scalars("matchers")).ToList();
        Assert.Contains("severity=\"page\"", matchers);
        Assert.Contains(rules, r => r.Map("labels").Str("severity") == "page");
        Assert.Contains("alertname", _config.Map("route").Scalars("group_by"));
    }
}
