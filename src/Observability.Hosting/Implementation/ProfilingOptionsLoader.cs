using System.Globalization;
using Microsoft.Extensions.Configuration;
using Observability.Profiling;
using K = Observability.Hosting.ObservabilityConfigKeys;
using P = Observability.Hosting.Implementation.ConfigValueParser;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Fills <see cref="ProfilingOptions"/>: the one place that reads the <c>Observability:Profiling</c> keys and the
/// Pyroscope agent's <c>PYROSCOPE_*</c> variables (which win over the section); its bounded numbers and durations are
/// rows of <see cref="RangedSettings"/>. Checked again after the code callback by <see cref="Validate"/>, naming the key
/// of a bad value.
/// </summary>
internal static class ProfilingOptionsLoader
{
    public static void Load(IConfiguration config, ProfilingOptions o)
    {
        o.Enabled = P.Bool(config, K.ProfilingEnabled) ?? o.Enabled;
        o.ServerAddress = P.HttpUri(config, K.PyroscopeServerAddress) ?? P.HttpUri(config, K.ProfilingServerAddress) ?? o.ServerAddress;
        o.ApplicationName = P.Text(config, K.PyroscopeApplicationName) ?? P.Text(config, K.ProfilingApplicationName) ?? o.ApplicationName;
        foreach (var child in config.GetSection(K.ProfilingLabels).GetChildren())
            if (child.Value is not null) o.Labels[child.Key] = child.Value;
        foreach (var (name, value) in P.Pairs(config, K.PyroscopeLabels, allowColon: true))
            o.Labels[name] = value;
        o.BasicAuthUser = P.Text(config, K.PyroscopeBasicAuthUser) ?? P.Text(config, K.ProfilingBasicAuthUser) ?? o.BasicAuthUser;
        o.BasicAuthPassword = P.Text(config, K.PyroscopeBasicAuthPassword) ?? P.Text(config, K.ProfilingBasicAuthPassword) ?? o.BasicAuthPassword;
        o.TenantId = P.Text(config, K.PyroscopeTenantId) ?? P.Text(config, K.ProfilingTenantId) ?? o.TenantId;

        o.Mode = Mode(config) ?? o.Mode;
        // The key's old meaning, kept for configurations that still set it: false turns the samplers off.
        if (P.Bool(config, K.ProfilingSamplerEnabled) == false) o.Mode = ProfilingMode.Off;
        o.CpuSampler = CpuSampler(config) ?? o.CpuSampler;
        o.RequestTimeProfileEnabled = P.Bool(config, K.ProfilingRequestTimeProfileEnabled) ?? o.RequestTimeProfileEnabled;
    }

    /// <summary>Checks values again after the code callback, which may have set anything.</summary>
    public static void Validate(ProfilingOptions o)
    {
        if (o.ServerAddress is { } server && !(server.IsAbsoluteUri && server.Scheme is "http" or "https"))
            throw P.Invalid(K.ProfilingServerAddress, server.ToString(), "expected an absolute http:// or https:// URL");
        if (o.ApplicationName is { } name && string.IsNullOrWhiteSpace(name))
            throw P.Invalid(K.ProfilingApplicationName, name, "expected a non-empty name");
        if (!Enum.IsDefined(o.Mode))
            throw P.Invalid(K.ProfilingMode, o.Mode.ToString(), "expected auto, continuous or off");
        if (!Enum.IsDefined(o.CpuSampler))
            throw P.Invalid(K.ProfilingCpuSampler, o.CpuSampler.ToString(), "expected auto, perf, perf-cpu-wide or eventpipe");
        var effectiveBurst = o.EffectiveBurstDuration;
        if (effectiveBurst >= o.BurstPeriod)
            throw P.Invalid(K.ProfilingBurstDuration, effectiveBurst.ToString("c", CultureInfo.InvariantCulture),
                $"expected a burst shorter than {K.ProfilingBurstPeriod} ({o.BurstPeriod:c})");
    }

    private static ProfilingMode? Mode(IConfiguration config)
    {
        var text = P.Text(config, K.ProfilingMode);
        return text?.ToLowerInvariant() switch
        {
            null => null,
            "auto" => ProfilingMode.Auto,
            "continuous" => ProfilingMode.Continuous,
            "off" => ProfilingMode.Off,
            _ => throw P.Invalid(K.ProfilingMode, text, "expected auto, continuous or off"),
        };
    }

    private static CpuSamplerKind? CpuSampler(IConfiguration config)
    {
        var text = P.Text(config, K.ProfilingCpuSampler);
        return text?.ToLowerInvariant() switch
        {
            null => null,
            "auto" => CpuSamplerKind.Auto,
            "perf" => CpuSamplerKind.Perf,
            "eventpipe" => CpuSamplerKind.EventPipe,
            "perf-cpu-wide" => CpuSamplerKind.PerfCpuWide,
            _ => throw P.Invalid(K.ProfilingCpuSampler, text, "expected auto, perf, perf-cpu-wide or eventpipe"),
        };
    }

}
