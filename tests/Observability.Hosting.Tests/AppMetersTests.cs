using System.Diagnostics.Metrics;
using Observability.Hosting.Implementation;
using Observability.Hosting.Tests.Infrastructure;
using K = Observability.Hosting.ObservabilityConfigKeys;

namespace Observability.Hosting.Tests;

/// <summary>The application's own meters, HttpClient's and configured ones on <c>/metrics</c>, with bounded series.</summary>
public sealed class AppMetersTests
{
    [Fact]
    public async Task A_meter_named_after_the_application_is_published_by_convention_and_others_only_when_named()
    {
        using var own = new Meter(TestHost.ApplicationName + ".Orders");
        using var library = new Meter("Tests.SomeLibrary.Convention");
        using var unnamed = new Meter("Tests.Unrelated.Convention");
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?> { [K.MetricsMeters] = "Tests.SomeLibrary.*" });
        own.CreateCounter<long>("orders.placed", unit: "{order}").Add(3, new KeyValuePair<string, object?>("order.kind", "express"));
        library.CreateHistogram<double>("lib.work.duration", unit: "s").Record(0.2);
        unnamed.CreateCounter<long>("unrelated.events").Add(1);

        var text = await host.ScrapeAsync();

        Assert.Contains("orders_placed_total{order_kind=\"express\"} 3", text);
        Assert.Contains("lib_work_duration_seconds_bucket", text);
        Assert.DoesNotContain("unrelated_events", text);
    }

    [Fact]
    public async Task HttpClient_requests_are_measured_under_the_semantic_convention_names()
    {
        await using var host = await TestHost.StartAsync();
        (await host.Client.GetAsync("/outgoing")).EnsureSuccessStatusCode();

        var text = await host.ScrapeAsync();

        Assert.Contains("http_client_request_duration_seconds_bucket{", text);
        Assert.Contains("http_request_method=\"GET\"", text);
    }

    [Fact]
    public async Task Tags_without_bound_fold_into_other_past_the_cap()
    {
        using var own = new Meter(TestHost.ApplicationName + ".Users");
        await using var host = await TestHost.StartAsync();
        var logins = own.CreateCounter<long>("user.logins");
        const int users = MeterBridge.MaxSeriesPerInstrument + 100;
        for (var i = 0; i < users; i++) logins.Add(1, new KeyValuePair<string, object?>("user.id", "u" + i));

        var text = await host.ScrapeAsync();
        var series = text.Split('\n').Where(l => l.StartsWith("user_logins_total{", StringComparison.Ordinal)).ToList();

        Assert.Equal(MeterBridge.MaxSeriesPerInstrument + 1, series.Count);
        Assert.Contains("user_logins_total{user_id=\"other\"} 100", series);
        Assert.Contains("observability_loadtest_label_overflow_total{label=\"meter\"} 100", text);
    }
}
