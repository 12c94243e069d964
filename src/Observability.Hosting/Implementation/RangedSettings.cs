using System.Globalization;
using Microsoft.Extensions.Configuration;
using K = Observability.Hosting.ObservabilityConfigKeys;
using P = Observability.Hosting.Implementation.ConfigValueParser;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Every bounded number and duration of the configuration, once: its key, its range and where it lives in
/// <see cref="ObservabilityOptions"/>. The same row reads the key (<see cref="RangedSetting.Load"/>), checks the
/// value again after the code callback (<see cref="RangedSetting.Check"/>) with the same message, and gives the
/// range the README's options table states (a test holds the README to it).
/// </summary>
internal static class RangedSettings
{
    public static readonly RangedSetting[] All =
    [
        new IntSetting(K.ManagementPort, 0, 65535, o => o.Management.Port, (o, v) => o.Management.Port = v),
        new IntSetting(K.LoadTestMaxTestIds, 1, 1000, o => o.LoadTest.MaxTestIds, (o, v) => o.LoadTest.MaxTestIds = v),
        new IntSetting(K.LoadTestMaxScenarios, 1, 1000, o => o.LoadTest.MaxScenarios, (o, v) => o.LoadTest.MaxScenarios = v),
        new DurationSetting(K.LoadTestLabelIdleTimeout, LoadTestOptions.MinLabelIdleTimeout, LoadTestOptions.MaxLabelIdleTimeout,
            o => o.LoadTest.LabelIdleTimeout, (o, v) => o.LoadTest.LabelIdleTimeout = v),
        new IntSetting(K.OtelBspMaxQueueSize, 1, 1_000_000, o => o.Otlp.MaxQueueSize, (o, v) => o.Otlp.MaxQueueSize = v),
        new IntSetting(K.OtelBspMaxExportBatchSize, 1, 1_000_000, o => o.Otlp.MaxExportBatchSize, (o, v) => o.Otlp.MaxExportBatchSize = v),
        IntSetting.Milliseconds(K.OtelExporterOtlpTimeout, 1, 600_000, o => o.Otlp.ExportTimeout, (o, v) => o.Otlp.ExportTimeout = v),
        IntSetting.Milliseconds(K.OtelBspScheduleDelay, 1, 600_000, o => o.Otlp.ScheduledDelay, (o, v) => o.Otlp.ScheduledDelay = v),
        new DurationSetting(K.ProfilingUploadInterval, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10),
            o => o.Profiling.UploadInterval, (o, v) => o.Profiling.UploadInterval = v),
        new DurationSetting(K.ProfilingUploadTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(2),
            o => o.Profiling.UploadTimeout, (o, v) => o.Profiling.UploadTimeout = v),
        new IntSetting(K.ProfilingUploadQueueCapacity, 1, 1000, o => o.Profiling.UploadQueueCapacity, (o, v) => o.Profiling.UploadQueueCapacity = v),
        new IntSetting(K.ProfilingMaxSecondsPerRequest, 1, 3600, o => o.Profiling.MaxSecondsPerRequest, (o, v) => o.Profiling.MaxSecondsPerRequest = v),
        new DurationSetting(K.ProfilingBurstDuration, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(60),
            o => o.Profiling.BurstDuration, (o, v) => o.Profiling.BurstDuration = v),
        new DurationSetting(K.ProfilingBurstPeriod, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1),
            o => o.Profiling.BurstPeriod, (o, v) => o.Profiling.BurstPeriod = v),
        new IntSetting(K.ProfilingMaxStacksPerProfile, 100, 16_000, o => o.Profiling.MaxStacksPerProfile, (o, v) => o.Profiling.MaxStacksPerProfile = v),
        new IntSetting(K.ProfilingMaxStackDepth, 8, 1024, o => o.Profiling.MaxStackDepth, (o, v) => o.Profiling.MaxStackDepth = v),
    ];

    public static void LoadAll(IConfiguration config, ObservabilityOptions o)
    {
        foreach (var setting in All) setting.Load(config, o);
    }

    public static void CheckAll(ObservabilityOptions o)
    {
        foreach (var setting in All) setting.Check(o);
    }

    /// <summary>A duration as the README writes it: <c>100 ms</c>, <c>60 s</c>, <c>10 min</c>, <c>1 h</c>, <c>1 day</c>.</summary>
    public static string Describe(TimeSpan value) => value switch
    {
        _ when value < TimeSpan.FromSeconds(1) => $"{value.TotalMilliseconds:0} ms",
        _ when value <= TimeSpan.FromSeconds(60) || value.Seconds != 0 => $"{value.TotalSeconds:0.###} s",
        _ when value < TimeSpan.FromHours(1) || value.Minutes != 0 => $"{value.TotalMinutes:0} min",
        _ when value < TimeSpan.FromDays(1) || value.Hours != 0 => $"{value.TotalHours:0} h",
        _ => value.TotalDays == 1 ? "1 day" : $"{value.TotalDays:0} days",
    };
}

/// <summary>One bounded key of <see cref="RangedSettings"/>.</summary>
internal abstract class RangedSetting(string key)
{
    public string Key { get; } = key;

    /// <summary>The range as the README's options table states it, e.g. <c>1–1000</c> or <c>1 s–10 min</c>.</summary>
    public abstract string Range { get; }

    /// <summary>Sets the option from the key when the key is set; a value outside the range fails, naming the key.</summary>
    public abstract void Load(IConfiguration config, ObservabilityOptions o);

    /// <summary>Fails, naming the key, when the option (as the code callback left it) is outside the range.</summary>
    public abstract void Check(ObservabilityOptions o);
}

/// <summary>A whole number; with <paramref name="unit"/>, a quantity in that unit (the <c>OTEL_*</c> durations: <c>ms</c>).</summary>
internal sealed class IntSetting(string key, int min, int max, Func<ObservabilityOptions, int> get, Action<ObservabilityOptions, int> set, string? unit = null)
    : RangedSetting(key)
{
    /// <summary>A duration written as whole milliseconds, as the <c>OTEL_*</c> variables write them.</summary>
    public static IntSetting Milliseconds(string key, int min, int max, Func<ObservabilityOptions, TimeSpan> get, Action<ObservabilityOptions, TimeSpan> set) =>
        new(key, min, max, o => (int)Math.Clamp(get(o).TotalMilliseconds, int.MinValue, int.MaxValue), (o, v) => set(o, TimeSpan.FromMilliseconds(v)), "ms");

    public int Min => min;

    public int Max => max;

    public void Set(ObservabilityOptions o, int value) => set(o, value);

    public override string Range => unit is null ? $"{min}–{max}" : $"{min}–{max} {unit}";

    public override void Load(IConfiguration config, ObservabilityOptions o)
    {
        if (P.Int(config, Key, min, max) is { } value) set(o, value);
    }

    public override void Check(ObservabilityOptions o)
    {
        var value = get(o);
        if (value < min || value > max) throw P.Invalid(Key, value.ToString(CultureInfo.InvariantCulture), P.IntRange(min, max));
    }
}

/// <summary>A duration written as <c>hh:mm:ss</c> or seconds; an unset nullable one (a computed default) is not checked.</summary>
internal sealed class DurationSetting(string key, TimeSpan min, TimeSpan max, Func<ObservabilityOptions, TimeSpan?> get, Action<ObservabilityOptions, TimeSpan> set)
    : RangedSetting(key)
{
    public TimeSpan Max => max;

    public void Set(ObservabilityOptions o, TimeSpan value) => set(o, value);

    public override string Range => $"{RangedSettings.Describe(min)}–{RangedSettings.Describe(max)}";

    public override void Load(IConfiguration config, ObservabilityOptions o)
    {
        if (P.Duration(config, Key, min, max) is { } value) set(o, value);
    }

    public override void Check(ObservabilityOptions o)
    {
        if (get(o) is { } value && (value < min || value > max))
            throw P.Invalid(Key, value.ToString("c", CultureInfo.InvariantCulture), P.DurationRange(min, max));
    }
}
