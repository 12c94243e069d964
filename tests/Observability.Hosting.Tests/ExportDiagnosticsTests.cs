using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observability.Hosting.Implementation;
using TestSupport;
using K = Observability.Hosting.ObservabilityConfigKeys;

namespace Observability.Hosting.Tests;

/// <summary>What an operator is told about OTLP export: the protocol a 4318 endpoint implies, the start line, outages.</summary>
public sealed class ExportDiagnosticsTests
{
    [Theory]
    // endpoint key, endpoint, protocol set (or null), expected protocol, from the port
    [InlineData(K.OtelExporterOtlpEndpoint, "http://collector:4318", null, "http/protobuf", true)]
    [InlineData(K.OtelExporterOtlpTracesEndpoint, "http://collector:4318/v1/traces", null, "http/protobuf", true)]
    [InlineData(K.OtelExporterOtlpEndpoint, "http://collector:4317", null, "grpc", false)]
    [InlineData(K.OtelExporterOtlpEndpoint, "http://collector:4318", "grpc", "grpc", false)]
    [InlineData(K.OtlpEndpoint, "http://collector:4318", null, "http/protobuf", true)]
    public void An_endpoint_on_4318_without_a_protocol_means_http_protobuf(string key, string endpoint, string? protocol, string expected, bool fromPort)
    {
        var values = new Dictionary<string, string?> { [key] = endpoint, [K.ServiceName] = "svc" };
        if (protocol is not null) values[K.OtelExporterOtlpProtocol] = protocol;
        var options = OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(values).Build(), "app", null);
        Assert.Equal(expected, options.Otlp.Protocol);
        Assert.Equal(fromPort, options.Otlp.ProtocolFromPort);
    }

    [Fact]
    public void The_start_line_names_every_destination_and_no_secret()
    {
        var options = OptionsLoader.Load(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [K.ServiceName] = "orders",
            [K.OtelExporterOtlpEndpoint] = "http://user:otlp-secret@collector:4318/?token=q-secret",
            [K.ProfilingServerAddress] = "http://admin:pyro-secret@pyroscope:4040",
            [K.OtelMetricsExporter] = "otlp,prometheus",
        }).Build(), "app", null);

        var line = StartupSummary.Describe(options);

        Assert.Contains("Observability for orders", line);
        Assert.Contains("traces to http://collector:4318/v1/traces", line);
        Assert.Contains("logs to http://collector:4318/v1/logs", line);
        Assert.Contains("metrics to http://collector:4318/v1/metrics", line);
        Assert.Contains("metrics exporters otlp,prometheus", line);
        Assert.Contains("over http/protobuf (no protocol set; port 4318 is OTLP/HTTP's)", line);
        Assert.Contains("profiles pushed to http://pyroscope:4040", line);
        Assert.Contains("/metrics on 127.0.0.1:9464", line);
        foreach (var secret in new[] { "otlp-secret", "q-secret", "pyro-secret", "user", "admin" })
            Assert.DoesNotContain(secret, line);
    }

    [Fact]
    public void An_outage_is_told_once_when_it_starts_and_once_when_it_ends()
    {
        var logs = new LogRecorder();
        using var services = new ServiceCollection().AddLogging(l => l.AddProvider(logs)).BuildServiceProvider();
        var outage = new ExportOutageLog(services, "traces", new Uri("http://collector:4317"), "grpc");

        outage.Succeeded();
        Assert.Empty(logs.Lines);
        for (var i = 0; i < 5; i++) outage.Failed();
        var warning = Assert.Single(logs.Lines);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("OTLP traces export to http://collector:4317/ (grpc) failed", warning.Message);
        Assert.Contains("4318", warning.Message);

        outage.Succeeded();
        outage.Succeeded();
        Assert.Equal(2, logs.Lines.Count);
        Assert.Equal(LogLevel.Information, logs.Lines[1].Level);
        Assert.Contains("after 5 failed batches", logs.Lines[1].Message);

        outage.Failed();
        Assert.Equal(3, logs.Lines.Count);
        Assert.Equal(LogLevel.Warning, logs.Lines[2].Level);
    }

    [Fact]
    public void An_outage_line_names_the_endpoint_without_user_info_or_query()
    {
        var logs = new LogRecorder();
        using var services = new ServiceCollection().AddLogging(l => l.AddProvider(logs)).BuildServiceProvider();
        var outage = new ExportOutageLog(services, "logs", new Uri("https://tenant:s3cret@otlp.example:4318/v1/logs?api_key=k3y"), "http/protobuf");

        outage.Failed();
        outage.Succeeded();
        Assert.Equal(2, logs.Lines.Count);
        Assert.All(logs.Lines, line =>
        {
            Assert.Contains("https://otlp.example:4318/v1/logs", line.Message);
            Assert.DoesNotContain("s3cret", line.Message);
            Assert.DoesNotContain("tenant", line.Message);
            Assert.DoesNotContain("k3y", line.Message);
        });
    }

    [Fact]
    public void An_export_that_fails_after_the_host_is_disposed_does_not_throw_on_its_thread()
    {
        var services = new ServiceCollection().AddLogging().BuildServiceProvider();
        var outage = new ExportOutageLog(services, "logs", new Uri("http://collector:4318/v1/logs"), "http/protobuf");
        services.Dispose();

        Assert.Null(Record.Exception(outage.Failed));
        Assert.Null(Record.Exception(outage.Succeeded));
    }
}
