using Stack.Tests.Implementation;
using TestSupport;

namespace Stack.Tests;

/// <summary>Prometheus configuration and alert rules, checked and unit-tested by promtool.</summary>
public sealed class PrometheusRulesTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Promtool_accepts_the_configuration()
    {
        var result = await ProcessRunner.RunAsync(Tools.Promtool, ["check", "config", StackPaths.PrometheusConfig], Timeout);
        Assert.True(result.ExitCode == 0, result.Output);
        // The configuration's rule_files glob finds the rules (a glob that matches nothing is not an error).
        Assert.Contains("rules found", result.StdOut + result.StdErr);
    }

    [Fact]
    public async Task Promtool_accepts_the_rules()
    {
        var files = StackPaths.RuleFiles.ToList();
        Assert.Equal(["runtime.yml", "slo.yml", "stack.yml", "telemetry.yml"], files.Select(Path.GetFileName));
        var result = await ProcessRunner.RunAsync(Tools.Promtool, ["check", "rules", .. files], Timeout);
        Assert.True(result.ExitCode == 0, result.Output);
    }

    [Fact]
    public async Task Rule_unit_tests_pass()
    {
        var tests = Directory.GetFiles(StackPaths.PrometheusRuleTests, "*.test.yml");
        Assert.Equal(5, tests.Length);
        var result = await ProcessRunner.RunAsync(Tools.Promtool, ["test", "rules", .. tests], Timeout, StackPaths.PrometheusRuleTests);
        Assert.True(result.ExitCode == 0, result.Output);
        Assert.DoesNotContain("FAILED", result.StdOut + result.StdErr);
    }

    [Theory]
    [InlineData("slo.yml", "job_route:http_server_request_duration_seconds:p95_5m > 0.5", "job_route:http_server_request_duration_seconds:p95_5m > 5")]
    // The short-spike test fails when the fast tier's threshold is too low.
    [InlineData("slo.yml", "ratio_rate1h > 14.4 * scalar", "ratio_rate1h > 1.44 * scalar")]
    // The load-test scenario fails when load-test traffic counts against the SLO.
    [InlineData("slo.yml", "testid=\"none\"", "testid=~\".*\"")]
    // The quiet-hour test fails without the minimum-traffic guard.
    [InlineData("slo.yml", "expr: vector(100)", "expr: vector(0)")]
    // The single-injection test fails with the old starvation rule.
    [InlineData("runtime.yml", "increase(dotnet_threadpool_starvation_total[2m])) >= 2\n        for: 5m", "increase(dotnet_threadpool_starvation_total[5m])) > 0\n        for: 1m")]
    [InlineData("telemetry.yml", "rate(observability_spans_dropped_total[5m])) > 0", "rate(observability_spans_dropped_total[5m])) < 0")]
    // The collector test fails with the _total spelling, which the 0.159.0 collector does not serve.
    [InlineData("stack.yml", "otelcol_exporter_send_failed_metric_points[5m]", "otelcol_exporter_send_failed_metric_points_total[5m]")]
    [InlineData("stack.yml", "otelcol_exporter_send_failed_log_records[5m]", "otelcol_exporter_send_failed_log_records_total[5m]")]
    // Loki's discards (loki_discarded_samples_total at v3.7.6) must be tested too.
    [InlineData("stack.yml", "rate(loki_discarded_samples_total[5m])) > 0", "rate(loki_discarded_samples_total[5m])) < 0")]
    [InlineData("stack.yml", "expr: vector(1)", "expr: vector(1) < 0")]
    public async Task Rule_unit_tests_catch_a_broken_threshold(string ruleFile, string original, string broken)
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
