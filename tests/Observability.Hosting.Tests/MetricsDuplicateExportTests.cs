using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observability.Hosting.Implementation;
using Observability.Hosting.Tests.Infrastructure;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using TestSupport;
using TestSupport.Otlp;
using K = Observability.Hosting.ObservabilityConfigKeys;

namespace Observability.Hosting.Tests;

/// <summary>
/// The kit's OTLP metric push next to the app's own <c>WithMetrics(m => m.AddOtlpExporter())</c>, which lands in the
/// same meter provider: to the kit's URL the kit leaves the push to it (each point sent once); elsewhere, one warning.
/// </summary>
public sealed class MetricsDuplicateExportTests
{
    private const string Stops = "the kit stops its own export of metrics";
    private const string Twice = "Every metric point is exported twice";

    [Fact]
    public async Task The_apps_own_metric_exporter_to_the_kits_endpoint_gets_each_point_once()
    {
        using var meter = new Meter(TestHost.ApplicationName + ".Duplicates");
        await using var receiver = await OtlpReceiver.StartAsync();
        var recorder = new LogRecorder();
        await using var host = await StartAsync(receiver, recorder, appTarget: receiver);
        meter.CreateCounter<long>("duplicate.checks").Add(7);

        host.FlushMetrics();
        var points = await receiver.WaitForMetricsAsync(all => all.Any(p => p.MetricName == "duplicate.checks"),
            TimeSpan.FromSeconds(30), "the app counter");

        // One flush: both readers collect, but only the app's exporter sends.
        Assert.Single(points, p => p.MetricName == "duplicate.checks");
        Assert.Single(receiver.Requests, r => r.Path == "/v1/metrics");
        var line = Assert.Single(recorder.Lines, l => l.Message.Contains(Stops, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains($"http://{receiver.HttpEndpoint.Authority}/v1/metrics", line.Message);
        Assert.DoesNotContain(recorder.Lines, l => l.Message.Contains(Twice, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_apps_own_metric_exporter_to_another_endpoint_is_warned_about_once()
    {
        using var meter = new Meter(TestHost.ApplicationName + ".Duplicates");
        await using var kitReceiver = await OtlpReceiver.StartAsync();
        await using var appReceiver = await OtlpReceiver.StartAsync();
        var recorder = new LogRecorder();
        await using var host = await StartAsync(kitReceiver, recorder, appTarget: appReceiver);
        meter.CreateCounter<long>("duplicate.checks").Add(7);

        host.FlushMetrics();
        host.FlushMetrics();
        foreach (var receiver in new[] { kitReceiver, appReceiver })
            await receiver.WaitForMetricsAsync(all => all.Count(p => p.MetricName == "duplicate.checks") >= 2, TimeSpan.FromSeconds(30), "the app counter");

        var warning = Assert.Single(recorder.Lines, l => l.Message.Contains(Twice, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"by the kit to http://{kitReceiver.HttpEndpoint.Authority}/v1/metrics", warning.Message);
        Assert.Contains($"to http://{appReceiver.HttpEndpoint.Authority}/v1/metrics", warning.Message);
        Assert.DoesNotContain(recorder.Lines, l => l.Message.Contains(Stops, StringComparison.Ordinal));
    }

    [Fact]
    public void The_scan_finds_the_other_otlp_metric_exporters_of_a_real_provider_and_not_its_own()
    {
        var own = new BaseExportingMetricReader(new NoExport());
        var endpoint = new Uri("http://127.0.0.1:9/v1/metrics");
        using var provider = Sdk.CreateMeterProviderBuilder()
            .AddReader(own)
            .AddOtlpExporter(o => { o.Endpoint = endpoint; o.Protocol = OtlpExportProtocol.HttpProtobuf; })
            .AddReader(new BaseExportingMetricReader(new NoExport()))
            .Build();

        var found = OtlpExporterScan.OtherEndpoints(own);

        Assert.NotNull(found);
        Assert.Equal(endpoint, Assert.Single(found));
    }

    [Fact]
    public void A_reader_of_no_provider_cannot_be_told()
    {
        var alone = new BaseExportingMetricReader(new NoExport());

        Assert.Null(OtlpExporterScan.OtherEndpoints(alone));
    }

    private static Task<TestHost> StartAsync(OtlpReceiver kit, LogRecorder recorder, OtlpReceiver appTarget) =>
        TestHost.StartAsync(kit.ExportingTo(more: (K.OtelMetricsExporter, "otlp")),
            beforeKit: builder => builder.Logging.AddProvider(recorder),
            afterKit: builder => builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(appTarget.HttpEndpoint, "/v1/metrics");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
            })));

    private sealed class NoExport : BaseExporter<Metric>
    {
        public override ExportResult Export(in Batch<Metric> batch) => ExportResult.Success;
    }
}
