using Stack.Tests.Implementation;
using TestSupport;

namespace Stack.Tests;

/// <summary>
/// The inhibit rules of alertmanager/alertmanager.yml on a real Alertmanager: alerts are posted as Prometheus would
/// post them, and the API says which ones are held back. Each case uses its own job, so cases do not meet.
/// </summary>
public sealed class AlertmanagerInhibitionTests : IAsyncLifetime
{
    // (case job, firing source alert, target alert, target's job, inhibited?)
    private static readonly (string Job, string Source, string Target, string TargetJob, bool Inhibited)[] Cases =
    [
        ("fast-slow", "ErrorBudgetBurnFast", "ErrorBudgetBurnSlow", "fast-slow", true),
        ("fast-steady", "ErrorBudgetBurnFast", "ErrorBudgetBurnSteady", "fast-steady", true),
        ("fast-ratio", "ErrorBudgetBurnFast", "HighErrorRatio", "fast-ratio", true),
        ("slow-steady", "ErrorBudgetBurnSlow", "ErrorBudgetBurnSteady", "slow-steady", true),
        ("down-starvation", "ServiceDown", "ThreadPoolStarvation", "down-starvation", true),
        ("down-latency", "ServiceDown", "HighLatencyP95", "down-latency", true),
        // Another service's alerts are not held back.
        ("fast-other-job", "ErrorBudgetBurnFast", "ErrorBudgetBurnSlow", "some-other-job", false),
        ("down-other-job", "ServiceDown", "ThreadPoolStarvation", "yet-another-job", false),
        // The slower tier never hides the faster one, and a page is never hidden by a warning.
        ("slow-fast", "ErrorBudgetBurnSlow", "ErrorBudgetBurnFast", "slow-fast", false),
        ("ratio-fast", "HighErrorRatio", "ErrorBudgetBurnFast", "ratio-fast", false),
    ];

    private AlertmanagerServer? _server;

    public async Task InitializeAsync() => _server = await AlertmanagerServer.StartAsync(RepoPaths.Combine("alertmanager", "alertmanager.yml"));

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Inhibit_rules_hold_back_only_the_same_services_lesser_alerts()
    {
        var server = _server!;
        await server.PostAsync(Cases.SelectMany(c => new[]
        {
            Labels(c.Source, c.Job),
            Labels(c.Target, c.TargetJob),
        }));

        // The inhibitor learns about sources asynchronously: wait until every expected inhibition shows, then
        // every other alert must still be active.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, int InhibitedBy)> alerts;
        while (true)
        {
            alerts = await server.AlertsAsync();
            if (Cases.Where(c => c.Inhibited).All(c => IsInhibited(alerts, c.Target, c.TargetJob)) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Equal(Cases.Length * 2, alerts.Count);
        foreach (var c in Cases)
        {
            Assert.True(IsInhibited(alerts, c.Target, c.TargetJob) == c.Inhibited, $"{c.Job}: {c.Target} of {c.TargetJob} inhibited should be {c.Inhibited}");
            if (c.Inhibited)
            {
                Assert.False(IsInhibited(alerts, c.Source, c.Job), $"{c.Job}: the source {c.Source} itself is inhibited");
            }
        }
    }

    private static Dictionary<string, string> Labels(string alertname, string job) => new()
    {
        ["alertname"] = alertname,
        ["job"] = job,
        ["severity"] = AlertRules.SeverityOf(alertname),
    };

    private static bool IsInhibited(IEnumerable<(IReadOnlyDictionary<string, string> Labels, int InhibitedBy)> alerts, string alertname, string job) =>
        alerts.Single(a => a.Labels["alertname"] == alertname && a.Labels["job"] == job).InhibitedBy > 0;
}
