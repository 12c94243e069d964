using System.Text.RegularExpressions;
using Stack.Tests.Implementation;

namespace Stack.Tests;

/// <summary>
/// No variable the compose file gives the k6 container, and none the script reads, is one k6 takes as its own
/// option unless it is meant for k6 (K6_VUS or K6_DURATION in the environment replace the script's scenarios).
/// </summary>
public sealed partial class K6ParameterNameTests
{
    // Settings meant for k6 itself, each with what it is for.
    private static readonly Dictionary<string, string> MeantForK6 = new(StringComparer.Ordinal)
    {
        ["K6_PROMETHEUS_RW_SERVER_URL"] = "where the remote-write output sends k6's metrics",
        ["K6_PROMETHEUS_RW_STALE_MARKERS"] = "a finished run's series end with the run",
        ["K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM"] = "windowed client quantiles from one native histogram",
    };

    [Fact]
    public async Task The_list_of_K6_s_own_names_is_for_the_pinned_image()
    {
        Assert.Contains("K6_VUS", K6OwnVariables.Names);
        Assert.Contains("K6_DURATION", K6OwnVariables.Names);
        Assert.True(K6OwnVariables.Names.Count > 100, $"only {K6OwnVariables.Names.Count} names listed");
        var image = (await ComposeModel.LoadAsync()).Services["k6"].Image;
        Assert.Equal($"grafana/k6:{K6OwnVariables.ListedTag}", image);
    }

    [Fact]
    public async Task Compose_gives_K6_only_its_own_names_that_are_meant()
    {
        var k6 = (await ComposeModel.LoadAsync()).Services["k6"];
        Assert.NotEmpty(k6.Environment);
        foreach (var name in k6.Environment.Keys)
        {
            if (MeantForK6.ContainsKey(name))
            {
                // A setting meant for k6 must be one k6 reads, or it is silently ignored (a typo).
                Assert.True(K6OwnVariables.Names.Contains(name), $"{name} is meant for k6, but k6 {K6OwnVariables.ListedTag} does not read it");
            }
            else
            {
                Assert.False(K6OwnVariables.Names.Contains(name), $"{name} is a script parameter, but k6 reads it as its own option");
                Assert.False(name.StartsWith("K6_", StringComparison.Ordinal), $"{name}: script parameters keep out of k6's K6_ namespace");
            }
        }
    }

    [Fact]
    public void The_script_reads_no_name_K6_owns()
    {
        var read = EnvRead().Matches(File.ReadAllText(StackPaths.K6Script)).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("LOAD_TESTID", read);
        Assert.All(read, name => Assert.False(name.StartsWith("K6_", StringComparison.Ordinal), $"k6/articles.js reads __ENV.{name}, a name in k6's namespace"));
    }

    [Fact]
    public async Task Every_script_parameter_compose_passes_is_read_by_the_script()
    {
        var k6 = (await ComposeModel.LoadAsync()).Services["k6"];
        var read = EnvRead().Matches(File.ReadAllText(StackPaths.K6Script)).Select(m => m.Groups[1].Value).ToHashSet();
        foreach (var name in k6.Environment.Keys.Where(n => !MeantForK6.ContainsKey(n)))
        {
            Assert.True(read.Contains(name), $"compose passes {name} to k6, but k6/articles.js never reads it");
        }
    }

    [Fact]
    public async Task Every_parameter_the_script_reads_is_passed_by_compose()
    {
        // A parameter the script reads but compose does not pass cannot be set for `docker compose run k6`.
        var k6 = (await ComposeModel.LoadAsync()).Services["k6"];
        var read = EnvRead().Matches(File.ReadAllText(StackPaths.K6Script)).Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.Contains("LOAD_PAGE_SIZE", read);
        Assert.All(read, name => Assert.True(k6.Environment.ContainsKey(name), $"k6/articles.js reads __ENV.{name}, but compose does not pass it"));
    }

    [GeneratedRegex(@"__ENV\.([A-Z0-9_]+)")]
    private static partial Regex EnvRead();
}
