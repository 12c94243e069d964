using Observability.Hosting.Tests.Infrastructure;
using TestSupport.Otlp;

namespace Observability.Hosting.Tests;

/// <summary>Configured sources are traced; the configured sampler decides what is exported and what gets exemplars.</summary>
public sealed class SamplingAndSourcesTests
{
    [Fact]
    public async Task Extra_sources_from_configuration_are_traced_under_the_server_span()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(more: (ObservabilityConfigKeys.TracingSources + ":0", "Tests.Custom")));
        var traceId = await host.Client.GetTracedAsync("/custom");
        host.FlushTraces();
        var spans = await receiver.WaitForSpansAsync(all => all.Any(s => s.TraceId == traceId && s.Name == "custom work"),
            TimeSpan.FromSeconds(30), "custom span");
        var server = spans.Single(s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindServer);
        var custom = spans.Single(s => s.TraceId == traceId && s.Name == "custom work");
        Assert.Equal(server.SpanId, custom.ParentSpanId);
        Assert.Equal("Tests.Custom", custom.ScopeName);
    }

    [Fact]
    public async Task Sources_named_after_the_application_are_traced_without_configuration()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo());
        var traceId = TracedRequest.NewTraceId();
        await host.Client.GetTracedAsync("/own-source", traceId);
        await host.Client.GetTracedAsync("/custom", traceId);
        host.FlushTraces();
        var spans = await receiver.WaitForSpansAsync(all => all.Count(s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindServer) == 2,
            TimeSpan.FromSeconds(30), "two server spans");
        var own = spans.Single(s => s.TraceId == traceId && s.Name == "own work");
        Assert.Equal(TestHost.ApplicationName + ".Work", own.ScopeName);
        // A source that is neither the application's nor configured stays untraced.
        Assert.DoesNotContain(spans, s => s.TraceId == traceId && s.Name == "custom work");
    }

    [Fact]
    public async Task Parent_based_sampling_follows_the_caller_and_unsampled_requests_are_still_measured()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(more: (ObservabilityConfigKeys.OtelTracesSampler, "parentbased_always_off")));
        var unsampledTrace = await host.Client.GetTracedAsync("/hello", sampled: false);
        var sampledTrace = await host.Client.GetTracedAsync("/hello");
        host.FlushTraces();

        var spans = await receiver.WaitForSpansAsync(all => all.Any(s => s.TraceId == sampledTrace), TimeSpan.FromSeconds(30), "sampled trace");
        Assert.DoesNotContain(spans, s => s.TraceId == unsampledTrace);
        var text = await host.ScrapeAsync(openMetrics: true);
        Assert.Contains("http_server_request_duration_seconds_count{http_route=\"/hello\",http_request_method=\"GET\",http_response_status_code=\"200\",error_type=\"\",url_scheme=\"http\",network_protocol_version=\"1.1\",testid=\"none\"} 2", text);
        Assert.Contains(sampledTrace, text);
        Assert.DoesNotContain(unsampledTrace, text);
    }
}
