using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Observability.Hosting.Tests.Infrastructure;
using K = Observability.Hosting.ObservabilityConfigKeys;

namespace Observability.Hosting.Tests;

[Collection(RunsAloneCollection.Name)]
public sealed class EnvironmentVariableTests
{
    [Fact]
    public void Standard_variables_from_the_process_environment_are_read()
    {
        using var _ = new EnvironmentScope(new()
        {
            [K.OtelServiceName] = "env-service",
            [K.OtelTracesSampler] = "traceidratio",
            [K.OtelTracesSamplerArg] = "0.5",
            ["Observability__LoadTest__MaxTestIds"] = "3",
        });
        var builder = Host.CreateApplicationBuilder();
        builder.AddObservability();
        using var host = builder.Build();
        var options = host.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value;
        Assert.Equal("env-service", options.ServiceName);
        Assert.Equal("traceidratio", options.Tracing.Sampler);
        Assert.Equal(0.5, options.Tracing.SamplerArg);
        Assert.Equal(3, options.LoadTest.MaxTestIds);
    }

    [Theory]
    [MemberData(nameof(ExportSettings.Protocols), MemberType = typeof(ExportSettings))]
    public async Task OTEL_EXPORTER_OTLP_HEADERS_reach_the_collector_on_trace_and_log_exports(string protocol)
    {
        // Read by the kit (through the host's configuration, which includes the environment) and handed to the exporter.
        using var _ = new EnvironmentScope(new() { ["OTEL_EXPORTER_OTLP_HEADERS"] = "x-kit-tenant=tenant%2042,x-kit-key=k1" });
        await using var receiver = await TestSupport.Otlp.OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(protocol));
        (await host.Client.GetAsync("/log")).EnsureSuccessStatusCode();
        host.FlushTraces();
        host.FlushLogs();
        await receiver.WaitForSpansAsync(all => all.Any(s => s.Attribute("url.path") == "/log"), TimeSpan.FromSeconds(30), "the /log span");
        await receiver.WaitForLogsAsync(all => all.Any(r => r.ScopeName == "Tests.Log"), TimeSpan.FromSeconds(30), "the /log records");

        var requests = receiver.Requests.ToList();
        Assert.Contains(requests, r => r.Path.Contains("trace", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(requests, r => r.Path.Contains("logs", StringComparison.OrdinalIgnoreCase));
        Assert.All(requests, r =>
        {
            Assert.Equal("tenant 42", r.Headers.GetValueOrDefault("x-kit-tenant"));
            Assert.Equal("k1", r.Headers.GetValueOrDefault("x-kit-key"));
        });
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_exporter_sends_the_kits_headers_not_those_it_reads_from_the_environment(bool clearedInCode)
    {
        // The exporter's options read OTEL_EXPORTER_OTLP_HEADERS from the process environment when they are made; a later
        // configuration source (appsettings, here in memory) or the code callback decides instead.
        using var _ = new EnvironmentScope(new() { [K.OtelExporterOtlpHeaders] = "x-kit-env=from-environment" });
        await using var receiver = await TestSupport.Otlp.OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(
            receiver.ExportingTo(more: [(K.OtelMetricsExporter, "otlp"), (K.OtelExporterOtlpHeaders, "x-kit-app=from-settings")]),
            configure: o => { if (clearedInCode) o.Otlp.Headers.Clear(); });

        await OtlpExportTests.ExportEverySignalAsync(host, receiver);

        var requests = receiver.Requests.ToList();
        Assert.Equal(3, requests.Select(r => r.Path).Distinct().Count());
        Assert.All(requests, r =>
        {
            Assert.False(r.Headers.ContainsKey("x-kit-env"));
            Assert.Equal(clearedInCode ? null : "from-settings", r.Headers.GetValueOrDefault("x-kit-app"));
        });
    }

    [Fact]
    public void OTEL_SDK_DISABLED_in_the_environment_turns_everything_off()
    {
        using var _ = new EnvironmentScope(new() { [K.OtelSdkDisabled] = "true" });
        var builder = Host.CreateApplicationBuilder();
        var before = builder.Services.Count;
        builder.AddObservability();
        Assert.Equal(before, builder.Services.Count);
    }

    private sealed class EnvironmentScope : IDisposable
    {
        private readonly Dictionary<string, string?> _previous = new();

        public EnvironmentScope(Dictionary<string, string> values)
        {
            foreach (var (key, value) in values)
            {
                _previous[key] = Environment.GetEnvironmentVariable(key);
                Environment.SetEnvironmentVariable(key, value);
            }
        }

        public void Dispose()
        {
            foreach (var (key, value) in _previous) Environment.SetEnvironmentVariable(key, value);
        }
    }
}
