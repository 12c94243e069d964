using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Observability.Hosting.Implementation;
using TestSupport;

namespace Observability.Hosting.Tests;

/// <summary>
/// The table of bounded settings drives loading, the check after the code callback and the README: one rule, one
/// message, one stated range per key.
/// </summary>
public sealed class RangedSettingsTests
{
    public static TheoryData<string> Keys() => new(RangedSettings.All.Select(s => s.Key));

    [Theory]
    [MemberData(nameof(Keys))]
    public void A_value_past_the_range_is_refused_with_one_message_from_configuration_and_from_code(string key)
    {
        var setting = RangedSettings.All.Single(s => s.Key == key);
        var (text, setInCode) = PastTheMaximum(setting);

        var fromConfiguration = Assert.Throws<InvalidOperationException>(() => Builder(new() { [key] = text }).AddObservability());
        var fromCode = Assert.Throws<InvalidOperationException>(() => Builder(new()).AddObservability(setInCode));

        Assert.Contains($"'{key}'", fromConfiguration.Message);
        Assert.Contains($"'{key}'", fromCode.Message);
        Assert.Equal(Expected(fromConfiguration.Message), Expected(fromCode.Message));
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void The_readme_states_each_range_on_the_row_of_its_key(string key)
    {
        var setting = RangedSettings.All.Single(s => s.Key == key);
        var readme = File.ReadAllLines(RepoPaths.Combine("src", "Observability.Hosting", "README.md"));
        var name = key.StartsWith("Observability:", StringComparison.Ordinal) ? key["Observability:".Length..] : key;
        var lines = readme.Where(l => l.Contains($"`{name}`", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count > 0, $"the README names no {name}");
        Assert.True(lines.Any(l => l.Contains(setting.Range, StringComparison.Ordinal)),
            $"the README's lines naming {name} do not state its range {setting.Range}:\n{string.Join("\n", lines)}");
    }

    [Theory]
    [InlineData(100, "100 ms")]
    [InlineData(1_000, "1 s")]
    [InlineData(60_000, "60 s")]
    [InlineData(90_000, "90 s")]
    [InlineData(600_000, "10 min")]
    [InlineData(3_600_000, "1 h")]
    [InlineData(86_400_000, "1 day")]
    public void Durations_read_as_the_readme_writes_them(int milliseconds, string expected) =>
        Assert.Equal(expected, RangedSettings.Describe(TimeSpan.FromMilliseconds(milliseconds)));

    private static (string Text, Action<ObservabilityOptions> SetInCode) PastTheMaximum(RangedSetting setting) => setting switch
    {
        IntSetting i => ((i.Max + 1L).ToString(CultureInfo.InvariantCulture), o => i.Set(o, i.Max + 1)),
        DurationSetting d => ((d.Max.TotalSeconds + 1).ToString(CultureInfo.InvariantCulture), o => d.Set(o, d.Max + TimeSpan.FromSeconds(1))),
        _ => throw new InvalidOperationException(setting.GetType().Name),
    };

    /// <summary>The part of the message after the key and the value: what the value should have been.</summary>
    private static string Expected(string message) => message[(message.LastIndexOf("': ", StringComparison.Ordinal) + 3)..];

    private static HostApplicationBuilder Builder(Dictionary<string, string?> values)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "ranged-settings-tests" });
        builder.Configuration.AddInMemoryCollection(values);
        return builder;
    }
}
