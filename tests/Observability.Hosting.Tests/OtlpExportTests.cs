using Microsoft.Extensions.Configuration;
using Observability.Hosting.Implementation;
using Observability.Hosting.Tests.Infrastructure;
using OpenTelemetry.Exporter;
using TestSupport.Otlp;
using K = Observability.Hosting.ObservabilityConfigKeys;

namespace Observability.Hosting.Tests;

/// <summary>
/// One resolution of where and how each signal is exported (<see cref="OtlpExport"/>), handed to the exporter whole: a
/// value from appsettings (here an in-memory source) reaches the collector as the environment variable would.
/// </summary>
public sealed class OtlpExportTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Theory]
    // signal, protocol, base endpoint, the signal's own endpoint (or null), expected URL
    [InlineData("Traces", "http/protobuf", "http://collector:4318", null, "http://collector:4318/v1/traces")]
    [InlineData("Logs", "http/protobuf", "http://collector:4318/otlp/", null, "http://collector:4318/otlp/v1/logs")]
    [InlineData("Metrics", "http/protobuf", "http://collector:4318/v1/metrics", null, "http://collector:4318/v1/metrics")]
    [InlineData("Traces", "grpc", "http://collector:4317", null, "http://collector:4317/")]
    [InlineData("Metrics", "grpc", "http://collector:4317", "http://metrics:4317", "http://metrics:4317/")]
    [InlineData("Logs", "http/protobuf", null, "http://logs:9000/ingest", "http://logs:9000/ingest")]
    [InlineData("Logs", "http/protobuf", null, null, null)]
    public void Each_signal_posts_to_its_own_endpoint_or_below_the_base_one(
        string signalName, string protocol, string? baseEndpoint, string? own, string? expected)
    {
        var signal = Enum.Parse<OtlpSignal>(signalName);
        var options = new ObservabilityOptions();
        options.Otlp.Protocol = protocol;
        options.Otlp.Endpoint = baseEndpoint is null ? null : new Uri(baseEndpoint);
        var ownUri = own is null ? null : new Uri(own);
        switch (signal)
        {
            case OtlpSignal.Traces: options.Otlp.TracesEndpoint = ownUri; break;
            case OtlpSignal.Logs: options.Otlp.LogsEndpoint = ownUri; break;
            default: options.Otlp.MetricsEndpoint = ownUri; break;
        }

        var export = OtlpExport.For(options, signal);

        Assert.Equal(expected, export?.Endpoint.ToString());
        if (export is not null) Assert.Equal(expected, export.ExporterOptions().Endpoint.ToString());
    }

    [Fact]
    public void The_exporter_options_carry_every_value_the_kit_resolved()
    {
        var options = Load(new()
        {
            [K.OtelExporterOtlpEndpoint] = "http://collector:4318",
            [K.OtelExporterOtlpHeaders] = "x-tenant=a%20b, x-sig=p%25q%3D",
            [K.OtelExporterOtlpTimeout] = "2500",
            [K.OtelExporterOtlpCompression] = "GZIP",
        });

        var exporter = OtlpExport.For(options, OtlpSignal.Metrics)!.ExporterOptions();

        Assert.Equal(new Uri("http://collector:4318/v1/metrics"), exporter.Endpoint);
        Assert.Equal(OtlpExportProtocol.HttpProtobuf, exporter.Protocol);
        Assert.Equal(2500, exporter.TimeoutMilliseconds);
        Assert.Equal(OtlpExportCompression.GZip, exporter.Compression);
        // Decoded once by the kit and encoded once for the exporter, which decodes the whole list once before splitting it.
        Assert.Equal("x-tenant=a%20b,x-sig=p%25q%3D", exporter.Headers);
    }

    [Theory]
    [MemberData(nameof(ExportSettings.Protocols), MemberType = typeof(ExportSettings))]
    public async Task Headers_set_only_in_appsettings_reach_the_collector_on_spans_logs_and_metrics(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(protocol,
            (K.OtelMetricsExporter, "otlp"),
            // %2525 is a percent sign followed by 25 once decoded: decoded once on the way, never twice.
            (K.OtelExporterOtlpHeaders, "x-kit-tenant=tenant%2042, x-kit-percent=100%2525")));

        await ExportEverySignalAsync(host, receiver);

        var requests = receiver.Requests.ToList();
        foreach (var signal in new[] { "trace", "logs", "metrics" })
            Assert.Contains(requests, r => r.Path.Contains(signal, StringComparison.OrdinalIgnoreCase));
        Assert.All(requests, r =>
        {
            Assert.Equal("tenant 42", r.Headers.GetValueOrDefault("x-kit-tenant"));
            Assert.Equal("100%25", r.Headers.GetValueOrDefault("x-kit-percent"));
        });
    }

    [Fact]
    public async Task A_signals_own_headers_replace_the_common_ones_for_that_signal_only()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(ExportSettings.Http,
            (K.OtelMetricsExporter, "otlp"), (K.OtelExporterOtlpHeaders, "x-kit-common=all"), (K.OtelExporterOtlpLogsHeaders, "x-kit-logs=only-logs")));

        await ExportEverySignalAsync(host, receiver);

        var requests = receiver.Requests.ToList();
        var logs = requests.Where(r => r.Path.EndsWith("/v1/logs", StringComparison.Ordinal)).ToList();
        var others = requests.Except(logs).ToList();
        Assert.NotEmpty(logs);
        Assert.Contains(others, r => r.Path.EndsWith("/v1/traces", StringComparison.Ordinal));
        Assert.Contains(others, r => r.Path.EndsWith("/v1/metrics", StringComparison.Ordinal));
        Assert.All(logs, r => Assert.Equal(("only-logs", null), (r.Headers.GetValueOrDefault("x-kit-logs"), r.Headers.GetValueOrDefault("x-kit-common"))));
        Assert.All(others, r => Assert.Equal(("all", null), (r.Headers.GetValueOrDefault("x-kit-common"), r.Headers.GetValueOrDefault("x-kit-logs"))));
    }

    // A span, log records and a metrics push of the /log request, each flushed and waited for.
    internal static async Task ExportEverySignalAsync(TestHost host, OtlpReceiver receiver)
    {
        (await host.Client.GetAsync("/log")).EnsureSuccessStatusCode();
        host.FlushTraces();
        host.FlushLogs();
        host.FlushMetrics();
        await receiver.WaitForSpansAsync(all => all.Any(s => s.Attribute("url.path") == "/log"), Wait, "the /log span");
        await receiver.WaitForLogsAsync(all => all.Any(r => r.ScopeName == "Tests.Log"), Wait, "the /log records");
        await receiver.WaitForMetricsAsync(all => all.Count > 0, Wait, "a metrics push");
    }

    private static ObservabilityOptions Load(Dictionary<string, string?> values) =>
        OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), "app", null);
}
