using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Observability.Hosting.Implementation;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Observability.Hosting.Tests;

/// <summary>
/// The reading of a built provider's OTLP exporters, on the real SDK: it relies on the SDK's internals, so these tests
/// are what fails when an upgrade moves them (the kit would then say nothing and keep exporting).
/// </summary>
public sealed class OtlpExporterScanTests
{
    [Theory]
    // protocol, endpoint given to AddOtlpExporter(), the URL the exporter sends to
    [InlineData("http/protobuf", "http://collector:4318/v1/traces", "http://collector:4318/v1/traces")]
    [InlineData("grpc", "http://collector:4317", "http://collector:4317/opentelemetry.proto.collector.trace.v1.TraceService/Export")]
    public void A_tracer_providers_own_otlp_exporter_is_found_with_its_url(string protocol, string endpoint, string expected)
    {
        var own = new OwnProcessor<Activity>();
        var services = new ServiceCollection();
        services.AddOpenTelemetry().WithTracing(tracing => tracing
            .AddProcessor(own)
            .AddOtlpExporter(o => Target(o, protocol, endpoint)));
        using var provider = services.BuildServiceProvider();

        var found = OtlpExporterScan.OtherEndpoints(provider.GetRequiredService<TracerProvider>(), own);

        Assert.Equal(new[] { new Uri(expected) }, found);
    }

    [Theory]
    [InlineData("http/protobuf", "http://collector:4318/v1/logs", "http://collector:4318/v1/logs")]
    [InlineData("grpc", "http://collector:4317", "http://collector:4317/opentelemetry.proto.collector.logs.v1.LogsService/Export")]
    public void A_logger_providers_own_otlp_exporter_is_found_with_its_url(string protocol, string endpoint, string expected)
    {
        var own = new OwnProcessor<LogRecord>();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOpenTelemetry().WithLogging(logs => logs
            .AddProcessor(own)
            .AddOtlpExporter(o => Target(o, protocol, endpoint)));
        using var provider = services.BuildServiceProvider();

        var found = OtlpExporterScan.OtherEndpoints(provider.GetRequiredService<LoggerProvider>(), own);

        Assert.Equal(new[] { new Uri(expected) }, found);
    }

    [Fact]
    public void The_exporter_of_UseOtlpExporter_is_found_too()
    {
        var own = new OwnProcessor<Activity>();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddOpenTelemetry()
            .UseOtlpExporter(OtlpExportProtocol.HttpProtobuf, new Uri("http://collector:4318"))
            .WithTracing(tracing => tracing.AddProcessor(own));
        using var provider = services.BuildServiceProvider();

        var found = OtlpExporterScan.OtherEndpoints(provider.GetRequiredService<TracerProvider>(), own);

        Assert.Equal(new[] { new Uri("http://collector:4318/v1/traces") }, found);
    }

    [Fact]
    public void The_kits_own_exporter_is_read_the_same_way()
    {
        using var exporter = new OtlpTraceExporter(new OtlpExporterOptions
        {
            Endpoint = new Uri("http://collector:4318/v1/traces"),
            Protocol = OtlpExportProtocol.HttpProtobuf,
        });

        Assert.Equal(new Uri("http://collector:4318/v1/traces"), OtlpExporterScan.Endpoint(exporter));
    }

    [Fact]
    public void An_otlp_exporter_of_metrics_only_is_not_a_trace_exporter()
    {
        var own = new OwnProcessor<Activity>();
        var services = new ServiceCollection();
        services.AddOpenTelemetry()
            .WithTracing(tracing => tracing.AddProcessor(own).AddProcessor(new OwnProcessor<Activity>()))
            .WithMetrics(metrics => metrics.AddOtlpExporter());
        using var provider = services.BuildServiceProvider();

        Assert.Empty(OtlpExporterScan.OtherEndpoints(provider.GetRequiredService<TracerProvider>(), own)!);
    }

    [Fact]
    public void A_provider_without_the_kits_processor_cannot_be_told_about()
    {
        var services = new ServiceCollection();
        services.AddOpenTelemetry().WithTracing(tracing => tracing.AddOtlpExporter());
        using var provider = services.BuildServiceProvider();

        Assert.Null(OtlpExporterScan.OtherEndpoints(provider.GetRequiredService<TracerProvider>(), new OwnProcessor<Activity>()));
    }

    private static void Target(OtlpExporterOptions options, string protocol, string endpoint)
    {
        options.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        options.Endpoint = new Uri(endpoint);
    }

    private sealed class OwnProcessor<T> : BaseProcessor<T>;
}
