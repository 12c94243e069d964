using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Observability.Hosting.Implementation;
using Observability.Hosting.Tests.Infrastructure;

namespace Observability.Hosting.Tests;

/// <summary>
/// Names and label values as OpenTelemetry's semantic conventions and its Prometheus rules have them, and bounded
/// whatever the clients and the application do.
/// </summary>
public sealed class SemanticConventionNameTests
{
    [Theory]
    [InlineData("counter", "kestrel.rejected_connections", "{connection}", "kestrel_rejected_connections_total")]
    [InlineData("updown", "kestrel.active_connections", "{connection}", "kestrel_active_connections")]
    [InlineData("histogram", "kestrel.connection.duration", "s", "kestrel_connection_duration_seconds")]
    [InlineData("observable-counter", "dotnet.gc.pause.time", "s", "dotnet_gc_pause_time_seconds_total")]
    [InlineData("observable-counter", "dotnet.gc.heap.total_allocated", "By", "dotnet_gc_heap_total_allocated_bytes_total")]
    [InlineData("observable-gauge", "dotnet.process.memory.working_set", "By", "dotnet_process_memory_working_set_bytes")]
    // The runtime declares the queue length an observable counter; it is a current value (an up-down counter in semconv).
    [InlineData("observable-counter", "dotnet.thread_pool.queue.length", "{work_item}", "dotnet_thread_pool_queue_length")]
    public void Instruments_are_named_by_the_OpenTelemetry_to_Prometheus_rules(string kind, string name, string unit, string expected)
    {
        using var meter = new Meter("Tests.Names");
        Instrument instrument = kind switch
        {
            "counter" => meter.CreateCounter<long>(name, unit),
            "updown" => meter.CreateUpDownCounter<long>(name, unit),
            "histogram" => meter.CreateHistogram<double>(name, unit),
            "observable-counter" => meter.CreateObservableCounter(name, () => 1L, unit),
            _ => meter.CreateObservableGauge(name, () => 1L, unit),
        };
        Assert.Equal(expected, MeterBridge.MetricName(instrument));
    }

    [Fact]
    public async Task Unknown_methods_are_OTHER_and_a_route_that_answers_everything_keeps_its_template()
    {
        await using var host = await TestHost.StartAsync();
        using (var purge = new HttpRequestMessage(new HttpMethod("PURGE"), "/orders/1"))
        using (var response = await host.Client.SendAsync(purge))
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        foreach (var id in new[] { 1, 2, 3, 4 })
            (await host.Client.GetAsync($"/orders/{id}")).Dispose();

        var text = await host.ScrapeAsync();
        Assert.Contains("http_request_method=\"_OTHER\"", text);
        Assert.DoesNotContain("PURGE", text);
        foreach (var (status, error) in new[] { ("200", ""), ("404", ""), ("503", ""), ("500", "System.InvalidOperationException") })
            Assert.Contains($"http_server_request_duration_seconds_count{{http_route=\"/orders/{{id:int}}\",http_request_method=\"GET\",http_response_status_code=\"{status}\",error_type=\"{error}\"", text);
    }

    [Fact]
    public void Error_types_beyond_the_cap_become_OTHER_and_are_counted()
    {
        var overflows = 0;
        var set = new BoundedLabelSet(2, () => overflows++, overflowValue: "_OTHER");
        Assert.Equal("System.InvalidOperationException", set.Map("System.InvalidOperationException"));
        // Characters outside the label hygiene's set go (nested and generic type names).
        Assert.Equal("App.ErrorsNested1", set.Map("App.Errors+Nested`1"));
        Assert.Equal("_OTHER", set.Map("System.TimeoutException"));
        Assert.Equal("_OTHER", set.Map("_OTHER"));
        Assert.Equal("System.InvalidOperationException", set.Map("System.InvalidOperationException"));
        Assert.Equal(2, overflows);
    }

    [Fact]
    public async Task An_exception_an_exception_handler_answered_keeps_its_type_as_error_type()
    {
        await using var host = await TestHost.StartAsync(pipeline: app =>
        {
            app.UseExceptionHandler(new ExceptionHandlerOptions
            {
                ExceptionHandler = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    return Task.CompletedTask;
                },
            });
            app.MapGet("/handled", IResult () => throw new TimeoutException("handled"));
        });
        using (var response = await host.Client.GetAsync("/handled"))
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);

        var text = await host.ScrapeAsync();
        Assert.Contains("http_server_request_duration_seconds_count{http_route=\"/handled\",http_request_method=\"GET\",http_response_status_code=\"503\",error_type=\"System.TimeoutException\"", text);
        // ASP.NET Core's diagnostics meter saw the same exception, published under its semantic-convention name.
        Assert.Contains("aspnetcore_diagnostics_exceptions_total{", text);
    }
}
