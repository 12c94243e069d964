using System.Text.Json;
using System.Text.RegularExpressions;
using Stack.Tests.Implementation;
using TestSupport;

namespace Stack.Tests;

/// <summary>k6/articles.js parses, and sends what the stack needs (k6 itself does not run on this machine).</summary>
public sealed partial class K6ScriptTests
{
    private static readonly Dictionary<string, string> Env = new() { ["LOAD_TESTID"] = "stack-k6", ["BASE_URL"] = "http://api:8080" };

    [Fact]
    public async Task Script_parses_as_an_es_module()
    {
        // k6 scripts are ES modules; `node --check` parses without resolving the k6/* imports.
        var dir = Directory.CreateTempSubdirectory("stack-k6-check-");
        try
        {
            var copy = Path.Combine(dir.FullName, "articles.mjs");
            File.Copy(StackPaths.K6Script, copy);
            var ok = await ProcessRunner.RunAsync(Tools.Node, ["--check", copy], TimeSpan.FromMinutes(1));
            Assert.True(ok.ExitCode == 0, ok.Output);

            // The same check fails on a syntax error, so a pass means something.
            await File.AppendAllTextAsync(copy, "\nexport function broken( {\n");
            var bad = await ProcessRunner.RunAsync(Tools.Node, ["--check", copy], TimeSpan.FromMinutes(1));
            Assert.NotEqual(0, bad.ExitCode);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task One_token_per_vu_then_bearer_requests()
    {
        using var doc = await K6Harness.RunJsonAsync(Env);
        var requests = doc.RootElement.GetProperty("requests").EnumerateArray().ToList();
        Assert.Equal(7, requests.Count); // 1 token + 3 v1 + 3 v2 iterations of the same VU
        Assert.Equal("http://api:8080/auth/token", requests[0].GetProperty("url").GetString());
        Assert.Single(requests, r => r.GetProperty("url").GetString()!.EndsWith("/auth/token", StringComparison.Ordinal));
        Assert.All(requests.Skip(1), r => Assert.Equal("Bearer token-1", r.GetProperty("headers").GetProperty("Authorization").GetString()));
        Assert.Equal(3, requests.Count(r => r.GetProperty("url").GetString()!.StartsWith("http://api:8080/v1/articles?", StringComparison.Ordinal)));
        Assert.Equal(3, requests.Count(r => r.GetProperty("url").GetString()!.StartsWith("http://api:8080/v2/articles?", StringComparison.Ordinal)));
        Assert.Equal("GET /v2/articles", requests[^1].GetProperty("tags").GetProperty("name").GetString());
    }

    [Fact]
    public async Task Every_request_carries_a_fresh_traceparent_and_the_baggage()
    {
        using var doc = await K6Harness.RunJsonAsync(Env);
        var requests = doc.RootElement.GetProperty("requests").EnumerateArray().ToList();
        var traceIds = new HashSet<string>();
        foreach (var r in requests)
        {
            var headers = r.GetProperty("headers");
            var traceparent = headers.GetProperty("traceparent").GetString()!;
            var m = Traceparent().Match(traceparent);
            Assert.True(m.Success, traceparent);
            Assert.NotEqual(new string('0', 32), m.Groups[1].Value);
            Assert.NotEqual(new string('0', 16), m.Groups[2].Value);
            traceIds.Add(m.Groups[1].Value);

            var baggage = headers.GetProperty("baggage").GetString()!
                .Split(',').Select(e => e.Split('=', 2)).ToDictionary(p => p[0], p => Uri.UnescapeDataString(p[1]));
            Assert.Equal("stack-k6", baggage["k6.testid"]);
            Assert.Equal(r.GetProperty("tags").GetProperty("name").GetString(), baggage["k6.name"]);
            Assert.Contains(baggage["k6.scenario"], new[] { "v1", "v2" });
        }

        Assert.Equal(requests.Count, traceIds.Count);
    }

    [Theory]
    [InlineData("both", new[] { "v1", "v2" })]
    [InlineData("v1", new[] { "v1" })]
    [InlineData("V2", new[] { "v2" })]
    public async Task Scenarios_thresholds_and_test_id_tag(string which, string[] expected)
    {
        using var doc = await K6Harness.RunJsonAsync(new Dictionary<string, string>(Env) { ["LOAD_SCENARIO"] = which, ["LOAD_DURATION"] = "30s" });
        var options = doc.RootElement.GetProperty("options");
        var scenarios = options.GetProperty("scenarios").EnumerateObject().ToList();
        Assert.Equal(expected, scenarios.Select(s => s.Name));
        Assert.Equal("stack-k6", options.GetProperty("tags").GetProperty("testid").GetString());
        var thresholds = options.GetProperty("thresholds").EnumerateObject().Select(t => t.Name).ToList();
        Assert.Contains("http_req_failed", thresholds);
        Assert.Contains("http_req_duration{scenario:v2}", thresholds);
        if (which == "both")
        {
            // v2 starts when v1 ends, so the two runs are separate windows.
            Assert.Equal("30s", scenarios[1].Value.GetProperty("startTime").GetString());
        }
    }

    [Fact]
    public async Task An_unknown_scenario_is_a_clear_error()
    {
        var result = await K6Harness.RunAsync(new Dictionary<string, string>(Env) { ["LOAD_SCENARIO"] = "v3" });
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("LOAD_SCENARIO must be v1, v2 or both", result.StdErr);
    }

    [Theory]
    [InlineData("v1 run")] // the API would drop the space: k6's label and the server's would differ
    [InlineData("run\"1")]
    [InlineData("")]
    public async Task A_test_id_the_api_would_rewrite_is_a_clear_error(string testId)
    {
        var result = await K6Harness.RunAsync(new Dictionary<string, string>(Env) { ["LOAD_TESTID"] = testId.Length == 0 ? new string('a', 65) : testId });
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("LOAD_TESTID must be 1-64 of", result.StdErr);
    }

    [Fact]
    public async Task A_test_id_with_dots_and_slashes_is_sent_as_is()
    {
        using var doc = await K6Harness.RunJsonAsync(new Dictionary<string, string>(Env) { ["LOAD_TESTID"] = "v1.2/run-3" });
        Assert.Equal("v1.2/run-3", doc.RootElement.GetProperty("options").GetProperty("tags").GetProperty("testid").GetString());
    }

    [GeneratedRegex("^00-([0-9a-f]{32})-([0-9a-f]{16})-01$")]
    private static partial Regex Traceparent();
}
