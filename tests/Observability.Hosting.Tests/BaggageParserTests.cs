using Observability.Hosting.Implementation;

namespace Observability.Hosting.Tests;

/// <summary>W3C baggage within its limits: what is read, what is skipped, and that nothing throws.</summary>
public sealed class BaggageParserTests
{
    public static TheoryData<string, string, string?> Cases()
    {
        var longValue = new string('x', 9000);
        var sixtyFourOthers = string.Join(",", Enumerable.Range(0, 64).Select(i => $"m{i}=v"));
        return new TheoryData<string, string, string?>
        {
            { "plain", "k6.testid=run-1", "run-1" },
            { "spaces around", "  k6.testid =  run-1  ;prop=1", "run-1" },
            { "percent-decoded", "k6.testid=run%201%2Fa", "run 1/a" },
            { "among others", "a=1,k6.testid=run-2,b=2", "run-2" },
            { "no equals", "k6.testid", null },
            { "empty key", "=run-1", null },
            { "bad key characters", "k6.te(stid=run-1", null },
            { "space inside value", "k6.testid=run 1", null },
            { "quote inside value", "k6.testid=run\"1", null },
            { "broken percent escape", "k6.testid=run%zz", "run%zz" },
            { "malformed members skipped, good one read", ",,;;==,k6.testid=ok,%%%", "ok" },
            { "member past 64", sixtyFourOthers + ",k6.testid=late", null },
            { "member at 64", string.Join(",", Enumerable.Range(0, 63).Select(i => $"m{i}=v")) + ",k6.testid=last", "last" },
            { "over 8192 bytes before it", "big=" + longValue + ",k6.testid=late", null },
            { "before an oversized member", "k6.testid=early,big=" + longValue, "early" },
            { "first of duplicates wins", "k6.testid=one,k6.testid=two", "one" },
            { "non-k6 key ignored", "testid=x", null },
            { "control characters", "k6.testid=a%00b%0Ac", "abc" },
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reads_k6_entries_within_W3C_limits(string name, string header, string? expectedTestId)
    {
        string? testId = null;
        BaggageParser.ReadK6Entries([header], (key, value) =>
        {
            if (key == "k6.testid") testId ??= value;
        });
        Assert.True(expectedTestId == testId, $"{name}: expected '{expectedTestId}', got '{testId}'");
    }

    [Fact]
    public void Never_throws_on_random_input()
    {
        var random = new Random(1234);
        string[] pieces = ["k6.testid", "k6.name", "=", "=", ",", ";", "%", "%2", "%zz", "%41", " ", "\"", "\\", "\t", "\u00e9", "\u0000", "abc", "run-1"];
        var entries = 0;
        for (var i = 0; i < 5000; i++)
        {
            var header = string.Concat(Enumerable.Range(0, random.Next(0, 60)).Select(_ => pieces[random.Next(pieces.Length)]));
            BaggageParser.ReadK6Entries([header, null, ""], (_, value) =>
            {
                entries++;
                Assert.True(value.Length <= 256);
                Assert.DoesNotContain(value, char.IsControl);
            });
        }
        Assert.True(entries > 0, "the random input should contain some well-formed k6 entries");
    }

    [Fact]
    public void Values_are_cut_to_a_bounded_length()
    {
        string? value = null;
        BaggageParser.ReadK6Entries(["k6.name=" + new string('a', 5000)], (_, v) => value = v);
        Assert.Equal(256, value!.Length);
    }
}
