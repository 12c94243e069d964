using Observability.Profiling.Implementation.Pprof;
using TestSupport.Pprof;

namespace Observability.Profiling.Tests;

public class PprofTests
{
    private static byte[] Sample()
    {
        var builder = new PprofBuilder("cpu", "nanoseconds", "cpu", "nanoseconds", 10_000_000)
        {
            StartTime = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
            Duration = TimeSpan.FromSeconds(15),
        };
        builder.Add(new[] { "Main", "App.Jwt.Verify" }, 70_000_000, new[] { new KeyValuePair<string, string>("span_id", "0123456789abcdef") });
        builder.Add(new[] { "Main", "App.Json.Write" }, 30_000_000);
        builder.Add(new[] { "Main", "Zero" }, 0);
        return builder.Encode();
    }

    [Fact]
    public void Round_trips_through_the_decoder()
    {
        var bytes = Sample();
        Assert.Equal(new byte[] { 0x1f, 0x8b }, bytes.Take(2));

        var profile = PprofProfile.Parse(bytes);
        Assert.Equal(new[] { ("cpu", "nanoseconds") }, profile.SampleTypes);
        Assert.Equal(("cpu", "nanoseconds"), profile.PeriodType);
        Assert.Equal(10_000_000, profile.Period);
        Assert.Equal(1_700_000_000L * 1_000_000_000, profile.TimeNanos);
        Assert.Equal(15_000_000_000, profile.DurationNanos);
        Assert.Equal(2, profile.Samples.Count);
        var verify = profile.Samples.Single(s => s.Stack[^1] == "App.Jwt.Verify");
        Assert.Equal(new[] { "Main", "App.Jwt.Verify" }, verify.Stack);
        Assert.Equal(70_000_000, verify.Values[0]);
        Assert.Equal("0123456789abcdef", verify.Labels["span_id"]);
    }

    [Fact]
    public async Task Go_tool_pprof_reads_it_with_types_and_units()
    {
        var top = await GoPprof.TopAsync(Sample());

        Assert.Contains("Type: cpu", top);
        Assert.Contains("App.Jwt.Verify", top);
        // 70 ms of 100 ms: pprof prints flat time in ms and the share in percent.
        Assert.Matches(@"70ms\s+70(\.00)?%.*App\.Jwt\.Verify", top);
    }

    [Theory]
    [InlineData(new byte[] { 0x0a, 0xff })]
    [InlineData(new byte[] { 0x32, 0x01, 0x41 })]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x00 })]
    public void Malformed_input_is_a_format_error(byte[] data)
    {
        var e = Record.Exception(() => PprofProfile.Parse(data));
        Assert.True(e is FormatException or InvalidDataException or EndOfStreamException, e?.ToString());
    }
}
