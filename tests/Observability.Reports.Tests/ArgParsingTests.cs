using Observability.Reports.Implementation;

namespace Observability.Reports.Tests;

public sealed class ArgParsingTests
{
    [Theory]
    [InlineData("2026-11-25T12:00:00Z", 1795608000000)]
    [InlineData("2026-11-25 12:00:00", 1795608000000)]
    [InlineData("2026-11-25T14:00:00+02:00", 1795608000000)]
    [InlineData("1795608000", 1795608000000)]
    [InlineData("1795608000123", 1795608000123)]
    public void Times_are_iso_8601_in_utc_or_unix_seconds_or_milliseconds(string text, long unixMs)
    {
        Assert.Equal(unixMs, ArgParsing.Time(text, "--from")!.Value.ToUnixTimeMilliseconds());
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("30m", 1800)]
    [InlineData("6h", 21600)]
    [InlineData("2d", 172800)]
    [InlineData("1.5h", 5400)]
    public void Durations_have_a_unit(string text, double seconds)
    {
        Assert.Equal(seconds, ArgParsing.Duration(text, "--lookback").TotalSeconds);
    }

    [Theory]
    [InlineData("6")]
    [InlineData("0h")]
    [InlineData("-1h")]
    [InlineData("5y")]
    [InlineData("9999d")]
    public void Bad_durations_are_refused(string text)
    {
        var ex = Assert.Throws<ArgumentException>(() => ArgParsing.Duration(text, "--lookback"));
        Assert.StartsWith("--lookback:", ex.Message);
    }

    [Fact]
    public void Missing_time_is_null()
    {
        Assert.Null(ArgParsing.Time(null, "--to"));
        Assert.Null(ArgParsing.Time("  ", "--to"));
    }

    [Theory]
    [InlineData("http://localhost:9090/", "http://localhost:9090")]
    [InlineData("https://prom.example:443/prometheus", "https://prom.example/prometheus")]
    public void Urls_are_normalised_without_a_trailing_slash(string text, string expected)
    {
        Assert.Equal(expected, ArgParsing.Url(text, "--prometheus"));
    }
}
