using System.Text.Json;
using Observability.Reports.Implementation;

namespace Observability.Reports.Tests;

public sealed class FlamebearerDecoderTests
{
    [Fact]
    public void Worked_example_from_pyroscope_decodes_to_its_three_stacks()
    {
        using var doc = JsonDocument.Parse(Answers.PyroscopeWorkedExample);

        var (stacks, numTicks) = FlamebearerDecoder.FromRenderJson(doc.RootElement);

        var byPath = stacks.ToDictionary(s => string.Join(";", s.Frames), s => s.Value);
        Assert.Equal(new Dictionary<string, long> { ["a;b;e"] = 1, ["a;c"] = 2, ["a;c;d"] = 1 }, byPath);
        Assert.Equal(4, numTicks);
        Assert.Equal(numTicks, stacks.Sum(s => s.Value));
    }

    [Fact]
    public void Sibling_after_a_gap_finds_the_right_parent()
    {
        // total(10) -> x(4) [self 4], y(6) -> z at x=7 (xDelta 3 after y starts at 4: 4+3 = 7), w at x=9.
        string[] names = ["total", "x", "y", "z", "w"];
        long[][] levels =
        [
            [0, 10, 0, 0],
            [0, 4, 4, 1, 0, 6, 3, 2],
            [7, 2, 2, 3, 0, 1, 1, 4],
        ];

        var stacks = FlamebearerDecoder.Decode(names, levels.Select(l => (IReadOnlyList<long>)l).ToList());

        var byPath = stacks.ToDictionary(s => string.Join(";", s.Frames), s => s.Value);
        Assert.Equal(new Dictionary<string, long> { ["x"] = 4, ["y"] = 3, ["y;z"] = 2, ["y;w"] = 1 }, byPath);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_trees_laid_out_as_pyroscope_does_decode_back_to_their_stacks(int seed)
    {
        var random = new Random(seed);
        string[] frames = ["main", "a", "b", "c", "d", "e"];
        var stacks = new Dictionary<string, long>();
        for (var i = 0; i < 40; i++)
        {
            var depth = random.Next(1, 7);
            var path = string.Join(";", Enumerable.Range(0, depth).Select(_ => frames[random.Next(frames.Length)]));
            stacks[path] = stacks.GetValueOrDefault(path) + random.Next(1, 100);
        }

        var answer = Scenario.FlamebearerEncoder.RenderAnswer(stacks.Select(kv => (kv.Key.Split(';'), kv.Value)));
        using var doc = JsonDocument.Parse(answer);
        var (decoded, numTicks) = FlamebearerDecoder.FromRenderJson(doc.RootElement);

        Assert.Equal(stacks.OrderBy(kv => kv.Key, StringComparer.Ordinal), decoded
            .ToDictionary(d => string.Join(";", d.Frames), d => d.Value)
            .OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(stacks.Values.Sum(), numTicks);
    }

    [Theory]
    [InlineData("[[0,4,0,0],[0,4,0]]", "multiple of 4")]
    [InlineData("[[0,4,0,0],[0,4,0,9]]", "names index 9")]
    [InlineData("[[0,4,0,0],[5,1,1,1]]", "no parent")]
    public void Malformed_levels_are_a_clear_error(string levels, string expected)
    {
        using var doc = JsonDocument.Parse("""{"flamebearer":{"names":["total","a"],"levels":""" + levels + ""","numTicks":4}}""");

        var ex = Assert.Throws<FormatException>(() => FlamebearerDecoder.FromRenderJson(doc.RootElement));

        Assert.Contains(expected, ex.Message);
    }
}
