using Stack.Tests.Implementation;
using TestSupport;

namespace Stack.Tests;

/// <summary>Prometheus configuration and alert rules, checked and unit-tested by promtool.</summary>
public sealed class PrometheusRulesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task PromtoolAcceptsTheConfiguration()
    {
        var result = await ProcessRunner.RunAsync(Tools.Promtool, ["check", "config", StackPaths.PrometheusConfig], Timeout);
        Assert.True(result.ExitCode == 0, result.Output);
        // The configuration's rule_files glob finds the rules (a glob that matches nothing is not an error).
        Assert.Contains("rules found", result.StdOut + result.StdErr);
    }

    [Fact]
    public async Task PromtoolAcceptsTheRules()
    {
        var files = StackPaths.RuleFiles.ToList();
        Assert.Equal(3, files.Count);
        var result = await ProcessRunner.RunAsync(Tools.Promtool, ["check", "rules", .. files], Timeout);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public async Task RuleUnitTestsPass()
    {
        var tests = Directory.GetFiles(StackPaths.PrometheusRuleTests, "*.test.yml");
        Assert.Equal(2, tests.Length);
        var result = await ProcessRunner.RunAsync(Tools.Promtool, ["test", "rules", .. tests], Timeout, StackPaths.PrometheusRuleTests);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("FAILED", result.StdOut + result.StdErr);
    }

    [Theory]
    [InlineData("slo.yml", "job_route:http_server_request_duration_seconds:p95_5m > 0.5", "job_route:http_server_request_duration_seconds:p95_5m > 5")]
    [InlineData("slo.yml", "(14.4 * 0.001)", "(144 * 0.001)")]
    [InlineData("runtime.yml", "increase(dotnet_threadpool_starvation_total[5m]) > 0", "increase(dotnet_threadpool_starvation_total[5m]) > 100")]
    [InlineData("telemetry.yml", "rate(observability_spans_dropped_total[5m]) > 0", "rate(observability_spans_dropped_total[5m]) < 0")]
    public async Task RuleUnitTestsCatchABrokenThreshold(string ruleFile, string original, string broken)
    {
        // The unit tests must fail when a rule stops firing: run them against a copy with one threshold changed.
        var dir = Directory.CreateTempSubdirectory("stack-rules-");
        try
        {
            Directory.CreateDirectory(Path.Combine(dir.FullName, "rules"));
            Directory.CreateDirectory(Path.Combine(dir.FullName, "tests"));
            foreach (var file in StackPaths.RuleFiles)
            {
                var text = await File.ReadAllTextAsync(file);
                if (Path.GetFileName(file) == ruleFile)
                {
                    Assert.Contains(original, text);
                    text = text.Replace(original, broken, StringComparison.Ordinal);
                }

                await File.WriteAllTextAsync(Path.Combine(dir.FullName, "rules", Path.GetFileName(file)), text);
            }

            foreach (var file in Directory.GetFiles(StackPaths.PrometheusRuleTests, "*.test.yml"))
            {
                File.Copy(file, Path.Combine(dir.FullName, "tests", Path.GetFileName(file)));
            }

            var tests = Directory.GetFiles(Path.Combine(dir.FullName, "tests"));
            var result = await ProcessRunner.RunAsync(Tools.Promtool, ["test", "rules", .. tests], Timeout, Path.Combine(dir.FullName, "tests"));
            Assert.True(result.ExitCode != 0, "promtool test rules still passes with a broken rule:\n" + result.Output);
            Assert.Contains("FAILED", result.StdOut + result.StdErr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
