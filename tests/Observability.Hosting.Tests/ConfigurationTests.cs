using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Observability.Profiling;
using K = Observability.Hosting.ObservabilityConfigKeys;

namespace Observability.Hosting.Tests;

/// <summary>Options from the section and the standard names; bad values fail at startup naming their key.</summary>
public sealed class ConfigurationTests
{
    public static TheoryData<string, string> BadValues() => new()
    {
        { K.Enabled, "maybe" },
        { K.OtelSdkDisabled, "yes" },
        { K.ManagementPort, "70000" },
        { K.ManagementPort, "abc" },
        { K.ManagementAddress, "not-an-address" },
        { K.ManagementEnabled, "on" },
        { K.ManagementPublicPortExposure, "1" },
        { K.OtlpEndpoint, "ftp://collector:4317" },
        { K.OtelExporterOtlpEndpoint, "collector:4317" },
        { K.OtelExporterOtlpTracesEndpoint, "not a url" },
        { K.OtelExporterOtlpProtocol, "http/json" },
        { K.OtlpProtocol, "udp" },
        { K.OtelTracesSampler, "sometimes" },
        { K.TracingSampler, "jaeger_remote" },
        { K.OtelTracesSamplerArg, "1.5" },
        { K.TracingSamplerArg, "half" },
        { K.LoadTestMaxTestIds, "0" },
        { K.LoadTestMaxScenarios, "100000" },
        { K.LoadTestLabelIdleTimeout, "0" },
        { K.LoadTestLabelIdleTimeout, "2.00:00:00" },
        { K.OtelResourceAttributes, "novalue" },
        { K.PyroscopeServerAddress, "pyroscope:4040" },
        { K.ProfilingServerAddress, "/relative" },
        { K.PyroscopeLabels, "=x" },
        { K.ProfilingEnabled, "enabled" },
        { K.PyroscopeLabels, "oops" },
        { K.ProfilingUploadInterval, "0" },
        { K.ProfilingUploadInterval, "soon" },
        { K.ProfilingUploadTimeout, "01:00:00" },
        { K.ProfilingUploadQueueCapacity, "0" },
        { K.ProfilingMaxSecondsPerRequest, "100000" },
        { K.ProfilingSamplerEnabled, "sometimes" },
        { K.ProfilingMode, "sometimes" },
        { K.ProfilingCpuSampler, "ebpf" },
        { K.ProfilingBurstDuration, "0.01" },
        { K.ProfilingBurstDuration, "61" },
        { K.ProfilingBurstPeriod, "7200" },
        { K.ProfilingRequestTimeProfileEnabled, "2" },
        { K.ProfilingMaxStacksPerProfile, "20000" },
        { K.ProfilingMaxStackDepth, "1" },
        { K.OtelExporterOtlpHeaders, "garbage-without-equals" },
        { K.OtelExporterOtlpHeaders, "x-a=1,bad name=2" },
        { K.OtelExporterOtlpHeaders, "x-a=one%2Ctwo" },
        { K.OtelExporterOtlpHeaders, "x-a=caf%C3%A9" },
        { K.OtelExporterOtlpHeaders, "x-a=line%0D%0Ax-injected: 1" },
        { K.OtelExporterOtlpTracesHeaders, "nope" },
        { K.OtelExporterOtlpLogsHeaders, "x-a=1,=2" },
        { K.OtelExporterOtlpMetricsHeaders, "x%20a=1" },
        { K.OtelExporterOtlpCompression, "brotli" },
        { K.OtelExporterOtlpTimeout, "10s" },
        { K.OtelExporterOtlpTimeout, "0" },
        { K.OtelBspMaxQueueSize, "-1" },
        { K.OtelBspMaxExportBatchSize, "many" },
        { K.OtelBspScheduleDelay, "700000" },
        { K.RedactionQueryAllowList, "page,code" },
        { K.RedactionQueryAllowList, "X-Amz-Signature" },
        { K.RedactionQueryAllowList, "api_key" },
        { K.RedactionQueryAllowList, "a=b" },
        { K.OtelMetricsExporter, "jaeger" },
        { K.OtelMetricsExporter, "otlp,none" },
        { K.OtelMetricsExporter, "otlp;prometheus" },
        { K.OtelMetricsExporter, "," },
        { K.MetricsExporter, "prom" },
        { K.OtelExporterOtlpMetricsEndpoint, "collector:4318" },
        { K.OtelMetricExportInterval, "0" },
        { K.OtelMetricExportTimeout, "30s" },
    };

    [Theory]
    [MemberData(nameof(BadValues))]
    public void A_bad_value_fails_at_startup_naming_its_key(string key, string value)
    {
        var builder = NewBuilder(new() { [key] = value });
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddObservability());
        Assert.Contains($"'{key}'", error.Message);
    }

    [Theory]
    // key, value, the credential in it
    [InlineData(K.OtelExporterOtlpHeaders, "Authorization Bearer s3cret-token", "s3cret-token")]
    [InlineData(K.OtelExporterOtlpHeaders, "x-api-key=s3cret-key%2Cmore", "s3cret-key")]
    [InlineData(K.OtelExporterOtlpTracesHeaders, "x-api-key=s3cret-key%0A", "s3cret-key")]
    [InlineData(K.OtelExporterOtlpLogsHeaders, "s3cret-token", "s3cret-token")]
    [InlineData(K.OtelExporterOtlpMetricsHeaders, "x-ok=1,Bearer s3cret-token=", "s3cret-token")]
    public void A_bad_header_list_names_its_key_and_never_a_value(string key, string value, string secret)
    {
        var builder = NewBuilder(new() { [key] = value });
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddObservability());
        Assert.Contains($"'{key}'", error.Message);
        Assert.DoesNotContain(secret, error.Message);
    }

    [Fact]
    public void A_header_set_in_code_is_checked_as_one_from_configuration()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Load(new(), o => o.Otlp.Headers["x-api-key"] = "s3cret\r\nx-injected: 1"));
        Assert.Contains($"'{K.OtelExporterOtlpHeaders}'", error.Message);
        Assert.Contains("x-api-key", error.Message);
        Assert.DoesNotContain("s3cret", error.Message);
    }

    [Fact]
    public void A_burst_not_shorter_than_its_period_fails_at_startup_naming_the_period()
    {
        var builder = NewBuilder(new() { [K.ProfilingBurstDuration] = "30", [K.ProfilingBurstPeriod] = "00:00:30" });
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddObservability());
        Assert.Contains($"'{K.ProfilingBurstDuration}'", error.Message);
        Assert.Contains(K.ProfilingBurstPeriod, error.Message);
    }

    [Fact]
    public void Standard_batch_and_timeout_variables_set_the_kits_export_queues()
    {
        var defaults = Load(new()).Otlp;
        Assert.Equal((2048, 512, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10)),
            (defaults.MaxQueueSize, defaults.MaxExportBatchSize, defaults.ScheduledDelay, defaults.ExportTimeout));
        var otlp = Load(new()
        {
            [K.OtelBspMaxQueueSize] = "100",
            [K.OtelBspMaxExportBatchSize] = "10",
            [K.OtelBspScheduleDelay] = "250",
            [K.OtelExporterOtlpTimeout] = "1500",
        }).Otlp;
        Assert.Equal((100, 10, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(1500)),
            (otlp.MaxQueueSize, otlp.MaxExportBatchSize, otlp.ScheduledDelay, otlp.ExportTimeout));
        var error = Assert.Throws<InvalidOperationException>(() => Load(new() { [K.OtelBspMaxQueueSize] = "8", [K.OtelBspMaxExportBatchSize] = "9" }));
        Assert.Contains($"'{K.OtelBspMaxExportBatchSize}'", error.Message);
    }

    [Fact]
    public void The_query_allow_list_is_read_as_children_or_one_comma_separated_value()
    {
        Assert.Empty(Load(new()).Redaction.QueryAllowList);
        Assert.Equal(["page", "sort"], Load(new() { [K.RedactionQueryAllowList] = " page, sort " }).Redaction.QueryAllowList);
        Assert.Equal(["q", "lang"], Load(new() { [K.RedactionQueryAllowList + ":0"] = "q", [K.RedactionQueryAllowList + ":1"] = "lang" }).Redaction.QueryAllowList);
        var error = Assert.Throws<InvalidOperationException>(() => Load(new(), o => o.Redaction.QueryAllowList.Add("access_token")));
        Assert.Contains(K.RedactionQueryAllowList, error.Message);
    }

    [Fact]
    public void A_bad_value_set_in_code_names_its_key()
    {
        var builder = NewBuilder(new());
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddObservability(o => o.Management.Port = -1));
        Assert.Contains(K.ManagementPort, error.Message);
    }

    [Fact]
    public void Standard_names_win_over_the_section_and_code_wins_over_both()
    {
        var captured = Load(new()
        {
            [K.ServiceName] = "from-section",
            [K.OtelServiceName] = "from-otel",
            [K.OtlpProtocol] = "grpc",
            [K.OtelExporterOtlpProtocol] = "http/protobuf",
            [K.OtlpEndpoint] = "http://section:4317",
            [K.OtelExporterOtlpEndpoint] = "http://standard:4318",
            [K.TracingSampler] = "always_on",
            [K.OtelTracesSampler] = "parentbased_traceidratio",
            [K.OtelTracesSamplerArg] = "0.25",
            [K.OtelResourceAttributes] = "deployment.environment=test,team=a%20b",
            [K.ProfilingServerAddress] = "http://section:4040",
            [K.PyroscopeServerAddress] = "http://pyroscope:4040",
            [K.PyroscopeLabels] = "region:eu,zone=a",
            [K.PyroscopeTenantId] = "tenant-1",
            [K.TracingSources + ":0"] = "My.Source",
        }, o => o.LoadTest.MaxTestIds = 7);
        Assert.Equal("from-otel", captured.ServiceName);
        Assert.Equal("http/protobuf", captured.Otlp.Protocol);
        Assert.Equal(new Uri("http://standard:4318"), captured.Otlp.Endpoint);
        Assert.Equal("parentbased_traceidratio", captured.Tracing.Sampler);
        Assert.Equal(0.25, captured.Tracing.SamplerArg);
        Assert.Equal("a b", captured.ResourceAttributes["team"]);
        Assert.Equal(new Uri("http://pyroscope:4040"), captured.Profiling.ServerAddress);
        Assert.Equal("eu", captured.Profiling.Labels["region"]);
        Assert.Equal("a", captured.Profiling.Labels["zone"]);
        Assert.Equal("tenant-1", captured.Profiling.TenantId);
        Assert.Contains("My.Source", captured.Tracing.Sources);
        Assert.Equal(7, captured.LoadTest.MaxTestIds);
    }

    [Fact]
    public void Every_profiler_setting_is_read_from_the_section_into_the_instance_the_profiler_uses()
    {
        var builder = NewBuilder(new()
        {
            [K.ProfilingApplicationName] = "profiled",
            [K.ProfilingLabels + ":team"] = "payments",
            [K.ProfilingBasicAuthUser] = "user",
            [K.ProfilingBasicAuthPassword] = "secret",
            [K.ProfilingTenantId] = "t-2",
            [K.ProfilingUploadInterval] = "00:00:30",
            [K.ProfilingUploadTimeout] = "2.5",
            [K.ProfilingUploadQueueCapacity] = "3",
            [K.ProfilingMaxSecondsPerRequest] = "20",
            [K.ProfilingMode] = "Continuous",
            [K.ProfilingCpuSampler] = "EventPipe",
            [K.ProfilingBurstDuration] = "2",
            [K.ProfilingBurstPeriod] = "00:01:00",
            [K.ProfilingRequestTimeProfileEnabled] = "false",
            [K.ProfilingMaxStacksPerProfile] = "500",
            [K.ProfilingMaxStackDepth] = "64",
        });
        builder.AddObservability();
        using var host = builder.Build();
        var profiling = host.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value.Profiling;

        Assert.Same(profiling, host.Services.GetRequiredService<IOptions<ProfilingOptions>>().Value);
        Assert.Equal(("profiled", "payments", "user", "secret", "t-2"),
            (profiling.ApplicationName, profiling.Labels["team"], profiling.BasicAuthUser, profiling.BasicAuthPassword, profiling.TenantId));
        Assert.Equal((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2.5), 3, 20),
            (profiling.UploadInterval, profiling.UploadTimeout, profiling.UploadQueueCapacity, profiling.MaxSecondsPerRequest));
        Assert.Equal((false, 500, 64), (profiling.RequestTimeProfileEnabled, profiling.MaxStacksPerProfile, profiling.MaxStackDepth));
        Assert.Equal((ProfilingMode.Continuous, CpuSamplerKind.EventPipe, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1)),
            (profiling.Mode, profiling.CpuSampler, profiling.BurstDuration, profiling.BurstPeriod));
    }

    [Theory]
    [InlineData("auto", CpuSamplerKind.Auto)]
    [InlineData("perf", CpuSamplerKind.Perf)]
    [InlineData("Perf-CPU-Wide", CpuSamplerKind.PerfCpuWide)]
    [InlineData("eventpipe", CpuSamplerKind.EventPipe)]
    public void Each_cpu_sampler_has_its_spelling(string text, CpuSamplerKind expected)
    {
        var builder = NewBuilder(new() { [K.ProfilingCpuSampler] = text });
        builder.AddObservability();
        using var host = builder.Build();
        Assert.Equal(expected, host.Services.GetRequiredService<IOptions<ProfilingOptions>>().Value.CpuSampler);
    }

    [Fact]
    public void The_profiler_is_named_after_the_service_unless_told_otherwise()
    {
        Assert.Equal("svc", Load(new() { [K.OtelServiceName] = "svc" }).Profiling.ApplicationName);
        Assert.Equal("agent-name", Load(new() { [K.OtelServiceName] = "svc", [K.PyroscopeApplicationName] = "agent-name" }).Profiling.ApplicationName);
    }

    [Fact]
    public void A_bad_profiler_value_set_in_code_names_its_key()
    {
        var builder = NewBuilder(new());
        var error = Assert.Throws<InvalidOperationException>(() => builder.AddObservability(o => o.Profiling.UploadQueueCapacity = 0));
        Assert.Contains(K.ProfilingUploadQueueCapacity, error.Message);
    }

    [Fact]
    public void Defaults_need_no_configuration_and_no_backend()
    {
        var options = Load(new());
        Assert.True(options.Enabled);
        Assert.Null(options.Otlp.Endpoint);
        Assert.Equal(9464, options.Management.Port);
        Assert.Equal(20, options.LoadTest.MaxTestIds);
        Assert.Equal("parentbased_always_on", options.Tracing.Sampler);
        Assert.True(options.Profiling.Enabled);
        Assert.Null(options.Profiling.ServerAddress);
    }

    [Theory]
    [InlineData(K.Enabled, "false")]
    [InlineData(K.OtelSdkDisabled, "true")]
    public void Disabled_registers_nothing_at_all(string key, string value)
    {
        var builder = NewBuilder(new() { [key] = value });
        var before = builder.Services.Count;
        builder.AddObservability();
        Assert.Equal(before, builder.Services.Count);
    }

    [Fact]
    public void A_second_call_changes_nothing()
    {
        var builder = NewBuilder(new());
        builder.AddObservability();
        var after = builder.Services.Count;
        builder.AddObservability(o => o.Management.Port = 1234);
        Assert.Equal(after, builder.Services.Count);
        using var host = builder.Build();
        Assert.NotEqual(1234, host.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value.Management.Port);
    }

    [Theory]
    [InlineData("true", "0.0.0.0")]
    [InlineData(null, "127.0.0.1")]
    public void The_management_address_defaults_to_all_interfaces_only_in_containers(string? inContainer, string expected)
    {
        Assert.Equal(expected, Load(new() { [K.DotnetRunningInContainer] = inContainer }).Management.Address);
    }

    [Theory]
    [InlineData("false", "continuous", ProfilingMode.Off)]
    [InlineData("true", "continuous", ProfilingMode.Continuous)]
    [InlineData(null, null, ProfilingMode.Auto)]
    public void SamplerEnabled_false_is_the_older_spelling_of_mode_off(string? samplerEnabled, string? mode, ProfilingMode expected) =>
        Assert.Equal(expected, Load(new() { [K.ProfilingSamplerEnabled] = samplerEnabled, [K.ProfilingMode] = mode }).Profiling.Mode);

    private static ObservabilityOptions Load(Dictionary<string, string?> values, Action<ObservabilityOptions>? configure = null)
    {
        var builder = NewBuilder(values);
        builder.AddObservability(configure);
        using var host = builder.Build();
        return host.Services.GetRequiredService<IOptions<ObservabilityOptions>>().Value;
    }

    private static HostApplicationBuilder NewBuilder(Dictionary<string, string?> values)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "config-tests" });
        builder.Configuration.AddInMemoryCollection(values);
        return builder;
    }
}
