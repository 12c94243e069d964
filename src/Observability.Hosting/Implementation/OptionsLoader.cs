using System.Net;
using Microsoft.Extensions.Configuration;
using K = Observability.Hosting.ObservabilityConfigKeys;
using P = Observability.Hosting.Implementation.ConfigValueParser;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Builds <see cref="ObservabilityOptions"/>: the section first, then the standard variables (they win), then
/// the code callback; then validates, naming the key of any bad value.
/// </summary>
internal static class OptionsLoader
{
    private const int MaxAllowListedKeys = 100;

    public static ObservabilityOptions Load(IConfiguration config, string applicationName, Action<ObservabilityOptions>? configure)
    {
        var o = new ObservabilityOptions();
        o.Enabled = P.Bool(config, K.Enabled) ?? true;
        if (P.Bool(config, K.OtelSdkDisabled) == true) o.Enabled = false;

        o.ServiceName = P.Text(config, K.OtelServiceName) ?? P.Text(config, K.ServiceName) ?? applicationName;
        foreach (var child in config.GetSection(K.ResourceAttributes).GetChildren())
            if (child.Value is not null) o.ResourceAttributes[child.Key] = child.Value;
        foreach (var (name, value) in P.Pairs(config, K.OtelResourceAttributes, allowColon: false))
            o.ResourceAttributes[name] = value;

        o.Otlp.Endpoint = P.HttpUri(config, K.OtelExporterOtlpEndpoint) ?? P.HttpUri(config, K.OtlpEndpoint);
        o.Otlp.TracesEndpoint = P.HttpUri(config, K.OtelExporterOtlpTracesEndpoint);
        o.Otlp.LogsEndpoint = P.HttpUri(config, K.OtelExporterOtlpLogsEndpoint);
        o.Otlp.MetricsEndpoint = P.HttpUri(config, K.OtelExporterOtlpMetricsEndpoint);
        o.Logs.Enabled = P.Bool(config, K.LogsEnabled) ?? true;
        o.Logs.IncludeScopes = P.Bool(config, K.LogsIncludeScopes) ?? o.Logs.IncludeScopes;
        // Read here from any configuration source and handed to the exporter (OtlpExport): OpenTelemetry's exporter
        // would read only the process environment, and fail at its first build on a value nobody named.
        foreach (var (name, value) in OtlpHeaders.Read(config, K.OtelExporterOtlpHeaders) ?? []) o.Otlp.Headers[name] = value;
        o.Otlp.TracesHeaders = OtlpHeaders.Read(config, K.OtelExporterOtlpTracesHeaders);
        o.Otlp.LogsHeaders = OtlpHeaders.Read(config, K.OtelExporterOtlpLogsHeaders);
        o.Otlp.MetricsHeaders = OtlpHeaders.Read(config, K.OtelExporterOtlpMetricsHeaders);
        o.Otlp.Compression = P.Text(config, K.OtelExporterOtlpCompression)?.ToLowerInvariant() ?? o.Otlp.Compression;
        // The kit's own export processors (they count what they drop) stand in for the SDK's batch processors, so
        // they take the SDK's standard batch and timeout variables (RangedSettings, below).
        var protocol = P.Text(config, K.OtelExporterOtlpProtocol) ?? P.Text(config, K.OtlpProtocol);
        // 4318 is OTLP/HTTP's port: gRPC (the default protocol) sent there fails on every export. Unset, the port decides.
        if (protocol is null && new[] { o.Otlp.Endpoint, o.Otlp.TracesEndpoint, o.Otlp.LogsEndpoint, o.Otlp.MetricsEndpoint }.Any(e => e?.Port == OtlpHttpPort))
        {
            protocol = OtlpExportOptions.HttpProtobuf;
            o.Otlp.ProtocolFromPort = true;
        }
        o.Otlp.Protocol = protocol ?? o.Otlp.Protocol;

        o.Tracing.Sampler = P.Text(config, K.OtelTracesSampler) ?? P.Text(config, K.TracingSampler) ?? o.Tracing.Sampler;
        o.Tracing.SamplerArg = P.Ratio(config, K.OtelTracesSamplerArg) ?? P.Ratio(config, K.TracingSamplerArg) ?? o.Tracing.SamplerArg;
        foreach (var child in config.GetSection(K.TracingSources).GetChildren())
            if (!string.IsNullOrWhiteSpace(child.Value)) o.Tracing.Sources.Add(child.Value.Trim());
        if (config[K.TracingSources] is { Length: > 0 } list)
            foreach (var source in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                o.Tracing.Sources.Add(source);

        o.Metrics.Exporters = MetricsExporterList.Parse(config, K.OtelMetricsExporter) ?? MetricsExporterList.Parse(config, K.MetricsExporter)
            ?? o.Metrics.Exporters;
        // Read by the SDK's metric reader itself, which ignores a bad value silently: checked here so it names the key.
        _ = P.Int(config, K.OtelMetricExportInterval, 1, 86_400_000);
        _ = P.Int(config, K.OtelMetricExportTimeout, 1, 600_000);
        foreach (var child in config.GetSection(K.MetricsMeters).GetChildren())
            if (!string.IsNullOrWhiteSpace(child.Value)) o.Metrics.Meters.Add(child.Value.Trim());
        if (config[K.MetricsMeters] is { Length: > 0 } meters)
            foreach (var meter in meters.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                o.Metrics.Meters.Add(meter);

        foreach (var child in config.GetSection(K.RedactionQueryAllowList).GetChildren())
            if (!string.IsNullOrWhiteSpace(child.Value)) o.Redaction.QueryAllowList.Add(child.Value.Trim());
        if (config[K.RedactionQueryAllowList] is { Length: > 0 } allowed)
            foreach (var key in allowed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                o.Redaction.QueryAllowList.Add(key);

        o.Management.Enabled = P.Bool(config, K.ManagementEnabled) ?? true;
        o.Management.Address = P.Text(config, K.ManagementAddress);
        if (o.Management.Address is { } address && !IsAddress(address))
            throw P.Invalid(K.ManagementAddress, address, "expected an IP address, localhost, or *");
        // Set by the official images ("true"); read leniently since it is not ours to validate.
        o.Management.Address ??= config[K.DotnetRunningInContainer]?.Trim() is "true" or "True" or "1" ? "0.0.0.0" : "127.0.0.1";
        o.Management.PublicPortExposure = P.Bool(config, K.ManagementPublicPortExposure) ?? false;

        RangedSettings.LoadAll(config, o);
        ProfilingOptionsLoader.Load(config, o.Profiling);

        configure?.Invoke(o);
        // The profiler names its series after the service unless told otherwise.
        o.Profiling.ApplicationName ??= o.ServiceName;
        Validate(o, config);
        return o;
    }

    /// <summary>
    /// Checks values once, after the code callback (which may have set anything); a bad value names the key it came
    /// from: the standard variable when that was set, else the section's key.
    /// </summary>
    public static void Validate(ObservabilityOptions o, IConfiguration? config = null)
    {
        string KeyOf(string standard, string own) => config?[standard] is { Length: > 0 } ? standard : own;
        if (string.IsNullOrWhiteSpace(o.ServiceName))
            throw P.Invalid(K.ServiceName, o.ServiceName ?? "", "expected a non-empty service name");
        if (!IsProtocol(o.Otlp.Protocol))
            throw P.Invalid(KeyOf(K.OtelExporterOtlpProtocol, K.OtlpProtocol), o.Otlp.Protocol, "expected grpc or http/protobuf");
        if (o.Otlp.Compression is not (OtlpExportOptions.NoCompression or OtlpExportOptions.Gzip))
            throw P.Invalid(K.OtelExporterOtlpCompression, o.Otlp.Compression ?? "", "expected none or gzip");
        OtlpHeaders.Check(o.Otlp.Headers, K.OtelExporterOtlpHeaders);
        OtlpHeaders.Check(o.Otlp.TracesHeaders, K.OtelExporterOtlpTracesHeaders);
        OtlpHeaders.Check(o.Otlp.LogsHeaders, K.OtelExporterOtlpLogsHeaders);
        OtlpHeaders.Check(o.Otlp.MetricsHeaders, K.OtelExporterOtlpMetricsHeaders);
        if (!SamplerFactory.IsKnown(o.Tracing.Sampler))
            throw P.Invalid(KeyOf(K.OtelTracesSampler, K.TracingSampler), o.Tracing.Sampler, "expected " + SamplerFactory.KnownNames);
        if (!(o.Tracing.SamplerArg >= 0 && o.Tracing.SamplerArg <= 1))
            throw P.Invalid(K.TracingSamplerArg, o.Tracing.SamplerArg.ToString(System.Globalization.CultureInfo.InvariantCulture), "expected a number from 0 to 1");
        if ((o.Metrics.Exporters & ~(MetricsExporters.Prometheus | MetricsExporters.Otlp)) != 0)
            throw P.Invalid(K.MetricsExporter, o.Metrics.Exporters.ToString(), "expected prometheus, otlp, both, or none");
        RangedSettings.CheckAll(o);
        if (o.Management.Address is { } address && !IsAddress(address))
            throw P.Invalid(K.ManagementAddress, address, "expected an IP address, localhost, or *");
        if (o.Otlp.MaxExportBatchSize > o.Otlp.MaxQueueSize)
            throw P.Invalid(K.OtelBspMaxExportBatchSize, o.Otlp.MaxExportBatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"expected at most the queue size ({o.Otlp.MaxQueueSize}, {K.OtelBspMaxQueueSize})");
        ValidateQueryAllowList(o.Redaction);
        ProfilingOptionsLoader.Validate(o.Profiling);
    }

    // An allow-listed credential would leave the process in clear on every span and log record: refuse it.
    private static void ValidateQueryAllowList(RedactionOptions redaction)
    {
        if (redaction.QueryAllowList.Count > MaxAllowListedKeys)
            throw P.Invalid(K.RedactionQueryAllowList, string.Join(',', redaction.QueryAllowList), $"expected at most {MaxAllowListedKeys} keys");
        foreach (var key in redaction.QueryAllowList)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > 256 || key.IndexOfAny(['&', '=', '?', '#']) >= 0)
                throw P.Invalid(K.RedactionQueryAllowList, key ?? "", "expected query keys without '&', '=', '?' or '#' (decoded, at most 256 characters)");
            if (Redaction.IsSecretName(key))
                throw P.Invalid(K.RedactionQueryAllowList, key, "this key looks like a credential and is always redacted; remove it from the allow-list");
        }
    }

    private const int OtlpHttpPort = 4318;

    private static bool IsProtocol(string value) => value is OtlpExportOptions.Grpc or OtlpExportOptions.HttpProtobuf;

    private static bool IsAddress(string value) =>
        value is "*" or "localhost" || IPAddress.TryParse(value, out _);
}
