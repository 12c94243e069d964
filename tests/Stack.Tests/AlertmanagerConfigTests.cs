using Stack.Tests.Implementation;
using TestSupport;

namespace Stack.Tests;

/// <summary>
/// alertmanager/alertmanager.yml checked by amtool (configuration and routing tree) and by a real Alertmanager
/// (inhibition); the receivers documented in docs/quickstart.md checked by amtool too.
/// </summary>
public sealed class AlertmanagerConfigTests
{
    private static readonly string ConfigFile = RepoPaths.Combine("alertmanager", "alertmanager.yml");

    private readonly YamlDotNet.RepresentationModel.YamlMappingNode _config = Yaml.LoadFile(ConfigFile);

    [Fact]
    public async Task Amtool_accepts_the_configuration()
    {
        var result = await Amtool.CheckConfigAsync(ConfigFile);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("3 inhibit rules", result.StdOut);
        Assert.Contains("3 receivers", result.StdOut);
    }

    [Theory]
    [InlineData("pages", "alertname=ErrorBudgetBurnFast", "severity=page", "job=articles-api")]
    [InlineData("pages", "alertname=ServiceDown", "severity=page", "job=articles-api")]
    // Held back while the fast tier fires for the same job (AlertmanagerInhibitionTests), a page on its own.
    [InlineData("pages", "alertname=ErrorBudgetBurnSlow", "severity=page", "job=articles-api")]
    [InlineData("tickets", "alertname=ErrorBudgetBurnSteady", "severity=ticket", "job=articles-api")]
    [InlineData("tickets", "alertname=ThreadPoolStarvation", "severity=warning", "job=articles-api")]
    [InlineData("watchdog", "alertname=Watchdog", "severity=heartbeat")]
    // An alert without a known severity still reaches someone.
    [InlineData("tickets", "alertname=SomethingNew")]
    public async Task Routes_each_severity_to_its_receiver(string receiver, params string[] labels)
    {
        var result = await Amtool.RoutesTestAsync(ConfigFile, receiver, labels);
        Assert.True(result.ExitCode == 0, result.Output);
        // The check is real: the same labels do not verify against another receiver.
        var other = receiver == "pages" ? "tickets" : "pages";
        Assert.NotEqual(0, (await Amtool.RoutesTestAsync(ConfigFile, other, labels)).ExitCode);
    }

    [Fact]
    public async Task Every_severity_the_rules_set_has_its_receiver()
    {
        var expected = new Dictionary<string, string> { ["page"] = "pages", ["ticket"] = "tickets", ["warning"] = "tickets", ["heartbeat"] = "watchdog" };
        var severities = AlertRules.All().Select(a => a.Severity).ToHashSet();
        Assert.Equal(expected.Keys.Order(), severities.Order());
        foreach (var severity in severities)
        {
            var result = await Amtool.RoutesTestAsync(ConfigFile, expected[severity], ["alertname=Any", "severity=" + severity]);
            Assert.True(result.ExitCode == 0, $"severity {severity}: {result.Output}");
        }
    }

    [Fact]
    public void Notifications_are_grouped_per_alert_and_service()
    {
        Assert.Equal(["alertname", "job"], _config.Map("route").Scalars("group_by"));
    }

    [Fact]
    public void Inhibit_rules_name_alerts_the_rules_define()
    {
        var alerts = AlertRules.All().Select(a => a.Name).ToHashSet();
        var named = _config.Seq("inhibit_rules")
            .SelectMany(r => r.Scalars("source_matchers").Concat(r.Scalars("target_matchers")))
            .SelectMany(m => m.Split('"')[1].Split('|'))
            .ToList();
        Assert.True(named.Count >= 7);
        Assert.All(named, n => Assert.Contains(n, alerts));
        Assert.All(_config.Seq("inhibit_rules"), r => Assert.Equal(["job"], r.Scalars("equal")));
    }

    [Fact]
    public async Task The_quickstart_receivers_are_a_valid_configuration()
    {
        var snippet = QuickstartReceivers();
        var receivers = Yaml.Load(snippet, "docs/quickstart.md receivers").Seq("receivers").ToList();
        // Same receiver names as the shipped file, so the routing tree keeps working when they are pasted in.
        Assert.Equal(_config.Seq("receivers").Select(r => r.Str("name")), receivers.Select(r => r.Str("name")));
        Assert.Contains(receivers, r => r.Get("webhook_configs") is not null);
        Assert.Contains(receivers, r => r.Get("email_configs") is not null);
        Assert.Contains(receivers, r => r.Get("slack_configs") is not null);

        var shipped = await File.ReadAllTextAsync(ConfigFile);
        var file = Path.Combine(Directory.CreateTempSubdirectory("obs-am-receivers-").FullName, "alertmanager.yml");
        try
        {
            await File.WriteAllTextAsync(file, shipped[..shipped.IndexOf("\nreceivers:", StringComparison.Ordinal)] + "\n" + snippet);
            var result = await Amtool.CheckConfigAsync(file);
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.Contains("3 receivers", result.StdOut);
            Assert.True((await Amtool.RoutesTestAsync(file, "pages", ["severity=page"])).ExitCode == 0);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
        }
    }

    private static string QuickstartReceivers()
    {
        var text = File.ReadAllText(RepoPaths.Combine("docs", "quickstart.md"));
        var section = text[text.IndexOf("\n## Alert receivers", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\nreceivers:", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/quickstart.md: no ```yaml block starting with receivers: under ## Alert receivers");
        start += "```yaml\n".Length;
        return section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
    }
}
