using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observability.Hosting.Implementation;
using Observability.Hosting.Tests.Infrastructure;
using OpenTelemetry.Metrics;
using TestSupport;
using K = Observability.Hosting.ObservabilityConfigKeys;

namespace Observability.Hosting.Tests;

/// <summary>
/// Meters an app adds the OpenTelemetry way, <c>ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(…))</c>, reach
/// <c>/metrics</c> too, with the app's callback run once.
/// </summary>
public sealed class ProviderMeterTests
{
    [Theory]
    // OTEL_METRICS_EXPORTER: /metrics alone builds a provider with no reader; with otlp the kit's provider is the one.
    [InlineData(null)]
    [InlineData("prometheus,otlp")]
    public async Task Meters_added_to_the_opentelemetry_provider_are_published_on_metrics(string? exporters)
    {
        // Created before the host: instruments published before the provider is built must be found too.
        using var early = new Meter("Tests.Provider.Early");
        var before = early.CreateCounter<long>("early.events");
        using var wild = new Meter("Tests.ProviderWild.Jobs");
        using var left = new Meter("Tests.Provider.NotAdded");
        await using var receiver = exporters is null ? null : await TestSupport.Otlp.OtlpReceiver.StartAsync();
        var config = receiver?.ExportingTo() ?? new Dictionary<string, string?>();
        config[K.OtelMetricsExporter] = exporters;
        var recorder = new LogRecorder();
        var callbacks = 0;
        await using var host = await TestHost.StartAsync(config,
            services: services => services.ConfigureOpenTelemetryMeterProvider(metrics =>
            {
                Interlocked.Increment(ref callbacks);
                metrics.AddMeter(early.Name, "tests.providerwild.*");
            }),
            beforeKit: builder => builder.Logging.AddProvider(recorder));
        before.Add(2);
        wild.CreateHistogram<double>("job.duration", unit: "s").Record(0.3, new KeyValuePair<string, object?>("job.kind", "nightly"));
        left.CreateCounter<long>("left.events").Add(1);

        var text = await host.ScrapeAsync();

        // Once: not also recorded by the bridge's first listener.
        Assert.Contains("\nearly_events_total 2\n", text);
        Assert.Contains("job_duration_seconds_count{job_kind=\"nightly\"} 1", text);
        Assert.DoesNotContain("left_events", text);
        Assert.Equal(1, Volatile.Read(ref callbacks));
        var line = Assert.Single(recorder.Lines, l => l.Message.Contains("also published on /metrics", StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains("Tests.Provider.Early, tests.providerwild.*", line.Message);
    }

    [Fact]
    public async Task The_hosting_meter_added_by_the_app_does_not_put_a_second_request_histogram_on_metrics()
    {
        await using var host = await TestHost.StartAsync(
            services: services => services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter("Microsoft.AspNetCore.Hosting")));
        (await host.Client.GetAsync("/hello")).EnsureSuccessStatusCode();

        var text = await host.ScrapeAsync();

        Assert.Single(text.Split('\n'), l => l == "# TYPE http_server_request_duration_seconds histogram");
        // The kit's histogram, with its test id label, is the one there.
        Assert.Contains("http_server_request_duration_seconds_count{", text);
        Assert.Contains("testid=", text);
    }

    [Fact]
    public async Task Without_app_meters_nothing_is_said()
    {
        var recorder = new LogRecorder();
        await using var host = await TestHost.StartAsync(beforeKit: builder => builder.Logging.AddProvider(recorder));

        await host.ScrapeAsync();

        Assert.DoesNotContain(recorder.Lines, l => l.Message.Contains("also published on /metrics", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_sources_are_read_from_the_real_sdk()
    {
        await using var host = await TestHost.StartAsync(
            services: services => services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddMeter("Tests.Provider.Read")));

        var sources = MeterProviderSources.Read(host.App.Services);

        Assert.NotNull(sources);
        Assert.Contains("Tests.Provider.Read", sources);
    }

    [Theory]
    // patterns (';'-separated), meter name, matched — as OpenTelemetry .NET's AddMeter matches
    [InlineData("Orders", "Orders", true)]
    [InlineData("Orders", "orders", true)]
    [InlineData("Orders", "Orders.Jobs", false)]
    [InlineData("Orders.*", "Orders.Jobs", true)]
    [InlineData("Orders.*", "Orders", false)]
    [InlineData("Orders*", "Orders", true)]
    [InlineData("Order?", "Orders", true)]
    [InlineData("Order?", "Order", false)]
    [InlineData("A.B;C.*", "C.D", true)]
    [InlineData("A.(B)[x]+", "A.(B)[x]+", true)]
    [InlineData("A.(B)*", "A.B", false)]
    [InlineData("*", "Anything.At.All", true)]
    [InlineData(" ", "Orders", false)]
    public void Patterns_match_as_the_sdk_matches(string patterns, string meter, bool matched) =>
        Assert.Equal(matched, new MeterNamePatterns(patterns.Split(';')).Matches(meter));
}
