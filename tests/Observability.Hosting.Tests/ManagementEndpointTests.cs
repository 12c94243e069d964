using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Observability.Hosting.Tests.Infrastructure;
using TestSupport;

namespace Observability.Hosting.Tests;

/// <summary>The management listener: its own port, OpenMetrics on request, nothing on the public port by default.</summary>
public sealed class ManagementEndpointTests
{
    [Fact]
    public async Task Metrics_are_served_on_the_management_port_and_not_on_the_public_one()
    {
        await using var host = await TestHost.StartAsync();
        Assert.True(host.ManagementPort > 0);
        Assert.NotEqual(host.Client.BaseAddress!.Port, host.ManagementPort);
        (await host.Client.GetAsync("/hello")).EnsureSuccessStatusCode();

        var text = await host.ScrapeAsync();
        Assert.Contains("http_server_request_duration_seconds_bucket{http_route=\"/hello\",http_request_method=\"GET\",http_response_status_code=\"200\",error_type=\"\",url_scheme=\"http\",network_protocol_version=\"1.1\",testid=\"none\"", text);
        foreach (var name in new[]
        {
            "http_server_active_requests{http_request_method=\"GET\",url_scheme=\"http\"}",
            // Kestrel's meter, named by the OpenTelemetry-to-Prometheus rules (the community dashboards read it).
            "kestrel_active_connections{",
            // The runtime's System.Runtime meter, same rules: counters end in _total, the unit follows the name.
            "dotnet_thread_pool_queue_length", "dotnet_threadpool_threads", "dotnet_thread_pool_work_item_count_total",
            "dotnet_monitor_lock_contentions_total", "dotnet_gc_pause_time_seconds_total", "dotnet_gc_collections_total{gc_heap_generation=\"gen0\"}",
            "dotnet_process_memory_working_set_bytes", "dotnet_process_cpu_time_seconds_total{cpu_mode=\"user\"}",
            "dotnet_threadpool_starvation_total", "dotnet_collection_count_total{generation=\"0\"}", "observability_spans_exported_total",
            "observability_spans_dropped_total", "observability_export_failures_total{signal=\"traces\"}",
            "observability_loadtest_label_overflow_total{label=\"testid\"}",
        })
            Assert.Contains(name, text);

        using var publicMetrics = await host.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.NotFound, publicMetrics.StatusCode);
    }

    [Fact]
    public async Task OpenMetrics_exposition_carries_trace_exemplars_when_asked_for()
    {
        await using var host = await TestHost.StartAsync();
        var traceId = await host.Client.GetTracedAsync("/hello");
        var unsampled = await host.Client.GetTracedAsync("/hello", sampled: false);

        var openMetrics = await host.ScrapeAsync(openMetrics: true);
        Assert.Contains($"trace_id=\"{traceId}\"", openMetrics);
        Assert.DoesNotContain(unsampled, openMetrics);
        Assert.EndsWith("# EOF\n", openMetrics);
        Assert.DoesNotContain("trace_id", await host.ScrapeAsync());
    }

    [Fact]
    public async Task Public_port_exposure_is_opt_in()
    {
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            [ObservabilityConfigKeys.ManagementPublicPortExposure] = "true",
        });
        using var response = await host.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Two_hosts_in_one_process_keep_separate_metrics()
    {
        await using var first = await TestHost.StartAsync();
        await using var second = await TestHost.StartAsync();
        Assert.NotEqual(first.ManagementPort, second.ManagementPort);
        (await first.Client.GetAsync("/hello")).EnsureSuccessStatusCode();
        Assert.Contains("http_route=\"/hello\"", await first.ScrapeAsync());
        Assert.DoesNotContain("http_route=\"/hello\"", await second.ScrapeAsync());
    }

    [Fact]
    public async Task A_busy_management_port_is_logged_and_the_app_still_serves()
    {
        var port = TestSupport.FreePort.Tcp();
        var fixedPort = new Dictionary<string, string?> { [ObservabilityConfigKeys.ManagementPort] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        await using var first = await TestHost.StartAsync(fixedPort);
        await using var second = await TestHost.StartAsync(fixedPort);
        Assert.Equal(port, first.ManagementPort);
        Assert.Equal(0, second.ManagementPort);
        Assert.Null(second.Management);
        (await second.Client.GetAsync("/hello")).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task Failed_requests_are_counted_with_their_status_code_route_and_exception_type()
    {
        await using var host = await TestHost.StartAsync();
        using var response = await host.Client.GetAsync("/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        using var missing = await host.Client.GetAsync("/no-such-path");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var text = await host.ScrapeAsync();
        Assert.Contains("http_server_request_duration_seconds_count{http_route=\"/boom\",http_request_method=\"GET\",http_response_status_code=\"500\",error_type=\"System.InvalidOperationException\",url_scheme=\"http\",network_protocol_version=\"1.1\",testid=\"none\"} 1", text);
        Assert.Contains("http_server_request_duration_seconds_count{http_route=\"unmatched\",http_request_method=\"GET\",http_response_status_code=\"404\",error_type=\"\",url_scheme=\"http\",network_protocol_version=\"1.1\",testid=\"none\"} 1", text);
    }

    [Fact]
    public async Task A_management_port_equal_to_the_app_port_is_logged_and_skipped()
    {
        var port = FreePort.Tcp();
        var logs = new LogRecorder();
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ApplicationName = TestHost.ApplicationName, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ObservabilityConfigKeys.ManagementPort] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            [ObservabilityConfigKeys.ManagementAddress] = "127.0.0.1",
            [ObservabilityConfigKeys.ProfilingEnabled] = "false",
        });
        builder.AddObservability();
        await using var app = builder.Build();
        app.MapGet("/hello", () => "hi");

        await app.StartAsync();

        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        Assert.Equal("hi", await client.GetStringAsync("/hello"));
        Assert.Contains(logs.Lines, line => line.Level == LogLevel.Warning && line.Message.Contains($"Port {port} is the app's own port", StringComparison.Ordinal));
        Assert.Null(app.Services.GetRequiredService<IManagementEndpoint>().BaseAddress);
        await app.StopAsync();
    }
}
