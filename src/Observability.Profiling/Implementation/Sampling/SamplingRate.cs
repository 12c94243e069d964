using System.Globalization;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>Reads the runtime's sampling interval from <see cref="ProfilingOptions.SamplingRateVariable"/>.</summary>
internal static class SamplingRate
{
    /// <summary>The runtime's own interval when the variable is absent.</summary>
    public const long RuntimeDefaultNanos = 1_000_000;

    /// <summary>The interval in ns, or null when the variable is not set or not hex.</summary>
    public static long? FromVariable(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var text = value.Trim();
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) text = text[2..];
        if (!ulong.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var ms) || ms == 0 || ms > 60_000)
        {
            return null;
        }
        return (long)ms * 1_000_000;
    }
}
