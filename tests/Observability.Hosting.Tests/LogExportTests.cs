using System.Net;
using System.Text;
using Observability.Hosting.Tests.Infrastructure;
using TestSupport;
using TestSupport.Otlp;
using static Observability.Hosting.Tests.Infrastructure.Exposition;

namespace Observability.Hosting.Tests;

/// <summary>
/// <c>ILogger</c> records exported over OTLP and decoded in the test: trace and span ids of exported spans, the
/// k6 test id, §3's query table on ASP.NET Core's own request records, and a bounded, counted queue.
/// </summary>
public sealed class LogExportTests
{
    private const string HostingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    [Theory]
    [MemberData(nameof(ExportSettings.Protocols), MemberType = typeof(ExportSettings))]
    public async Task Records_carry_the_ids_of_exported_spans_the_k6_test_id_and_no_query_value(string protocol)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(
            receiver.ExportingTo(protocol, (ObservabilityConfigKeys.ServiceName, "log-export-test"), AspNetCoreInformation));
        var traceId = TracedRequest.NewTraceId();
        using var request = TracedRequest.Get("/log?code=code-s3cr3t&q=q-s3cr3t", traceId);
        request.Headers.Add("baggage", "k6.testid=run-logs-1");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer header-s3cr3t");
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        host.FlushTraces();
        host.FlushLogs();
        var spans = await receiver.WaitForSpansAsync(all => all.Any(s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindServer),
            TimeSpan.FromSeconds(30), "the /log server span");
        var server = Assert.Single(spans, s => s.TraceId == traceId && s.Kind == ReceivedSpan.KindServer);
        var logs = await receiver.WaitForLogsAsync(all => all.Any(r => r.TraceId == traceId && r.ScopeName == "Tests.Log")
                && all.Any(r => r.TraceId == traceId && r.ScopeName == HostingCategory),
            TimeSpan.FromSeconds(30), "the /log records");

        var handled = Assert.Single(logs, r => r.TraceId == traceId && r.ScopeName == "Tests.Log" && r.Body == "Handled {Url}");
        Assert.Equal(server.SpanId, handled.SpanId);
        Assert.Equal("run-logs-1", handled.Attribute("k6.testid"));
        Assert.Equal("log-export-test", handled.Resource["service.name"]);
        Assert.EndsWith("/log?code=REDACTED&q=REDACTED", handled.Attribute("Url"));
        Assert.Equal(9, handled.SeverityNumber);

        // ASP.NET Core writes "Request starting" before the kit's middleware runs: ids, but no test id yet.
        var starting = Assert.Single(logs, r => r.TraceId == traceId && r.ScopeName == HostingCategory && r.Body.StartsWith("Request starting", StringComparison.Ordinal));
        Assert.Equal(server.SpanId, starting.SpanId);
        Assert.Equal("?code=REDACTED&q=REDACTED", starting.Attribute("QueryString"));

        var exported = Encoding.UTF8.GetString(receiver.AllBytes());
        Assert.DoesNotContain(QueryRedactionTable.Marker, exported);
        Assert.DoesNotContain("header-s3cr3t", exported);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("true", "/log")]
    public async Task Scopes_are_exported_only_when_asked_for(string? includeScopes, string? requestPath)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(more: (ObservabilityConfigKeys.LogsIncludeScopes, includeScopes)));
        var traceId = await host.Client.GetTracedAsync("/log");

        host.FlushLogs();
        var logs = await receiver.WaitForLogsAsync(all => all.Any(r => r.TraceId == traceId && r.Body == "Handled {Url}"),
            TimeSpan.FromSeconds(30), "the /log record");

        // ASP.NET Core's request scope carries the path: present exactly when scopes are exported.
        Assert.Equal(requestPath, Assert.Single(logs, r => r.TraceId == traceId && r.Body == "Handled {Url}").Attribute("RequestPath"));
    }

    [Fact]
    public async Task Request_records_carry_every_row_of_the_query_table_redacted()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(more: AspNetCoreInformation));
        var traces = new List<(string TraceId, string Expected)>();
        foreach (var row in QueryRedactionTable.Rows)
        {
            var (query, expected) = ((string)row[0], (string)row[1]);
            var traceId = await host.Client.GetTracedAsync("/log" + query);
            traces.Add((traceId, expected));
        }

        host.FlushLogs();
        // Per request: "Request starting" and "Request finished" (both with QueryString) and the app's own record.
        var logs = await receiver.WaitForLogsAsync(
            all => traces.All(t => all.Count(r => r.TraceId == t.TraceId && r.Attribute("QueryString") is not null) == 2
                && all.Any(r => r.TraceId == t.TraceId && r.ScopeName == "Tests.Log" && r.Attribute("Url") is not null)),
            TimeSpan.FromSeconds(30), "the request records of every row");
        foreach (var (traceId, expected) in traces)
        {
            Assert.All(logs.Where(r => r.TraceId == traceId && r.Attribute("QueryString") is not null),
                r => Assert.Equal(expected, r.Attribute("QueryString")));
            var handled = Assert.Single(logs, r => r.TraceId == traceId && r.ScopeName == "Tests.Log" && r.Attribute("Url") is not null);
            Assert.EndsWith("/log" + expected, handled.Attribute("Url"));
        }
        Assert.DoesNotContain(QueryRedactionTable.Marker, Encoding.UTF8.GetString(receiver.AllBytes()));
    }

    [Fact]
    public async Task Without_an_endpoint_or_when_switched_off_no_record_is_exported()
    {
        await using (var host = await TestHost.StartAsync())
            Assert.Null(host.App.Services.GetService(typeof(OpenTelemetry.Logs.LoggerProvider)));

        await using var receiver = await OtlpReceiver.StartAsync();
        await using var off = await TestHost.StartAsync(receiver.ExportingTo(more: [AspNetCoreInformation, (ObservabilityConfigKeys.LogsEnabled, "false")]));
        Assert.Null(off.App.Services.GetService(typeof(OpenTelemetry.Logs.LoggerProvider)));
        (await off.Client.GetAsync("/log?x=1")).EnsureSuccessStatusCode();
        off.FlushTraces();
        await receiver.WaitForSpansAsync(all => all.Any(s => s.Attribute("url.path") == "/log"), TimeSpan.FromSeconds(30), "the /log span");
        Assert.Empty(receiver.Logs);
    }

    [Fact]
    public async Task A_refused_collector_leaves_requests_untouched_and_failures_are_counted()
    {
        await using var host = await TestHost.StartAsync(ExportSettings.ToClosedPort(more: AspNetCoreInformation));
        for (var i = 0; i < 10; i++)
            Assert.Equal(HttpStatusCode.OK, (await host.Client.GetAsync("/log")).StatusCode);
        host.FlushLogs();

        AssertRefused(await host.ScrapeAsync(), "logs", "logs", dropped: 20);
    }

    [Fact]
    public async Task A_blocked_collector_fills_a_bounded_queue_that_drops_and_counts()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        receiver.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(more: AspNetCoreInformation), configure: ExportSettings.SmallQueue);
        // Each /log request writes at least four records (request starting, two app records, request finished).
        for (var i = 0; i < 10; i++)
            (await host.Client.GetAsync("/log")).EnsureSuccessStatusCode();

        // At most 4 records are pending (queued or in the one blocked export): the other 36 or more were dropped.
        var whileBlocked = await host.ScrapeAsync();
        Assert.True(Value(whileBlocked, "observability_logs_dropped_total") >= 36, whileBlocked);
        Assert.Equal(0, Value(whileBlocked, "observability_logs_exported_total"));

        receiver.Gate.SetResult();
        host.FlushLogs();
        // The receiver holds a batch as soon as it arrives; the kit counts it once the export's answer is back, which
        // a CI run saw trail the flush (2 counted, 4 received): wait for the count to catch up.
        var after = await Eventually.ReturnsAsync(
            () => host.ScrapeAsync(), text => Value(text, "observability_logs_exported_total") == receiver.Logs.Count,
            TimeSpan.FromSeconds(10), "the exported count equal to what the collector received", text => $"{receiver.Logs.Count} received\n{text}");
        var exported = Value(after, "observability_logs_exported_total");
        Assert.True(exported is >= 1 and <= 4, after);
    }

    // The test process's content root has the usual template appsettings.json ("Microsoft.AspNetCore": "Warning");
    // ASP.NET Core's request records, the ones that carry the raw query, are Information.
    private static readonly (string, string?) AspNetCoreInformation = ("Logging:LogLevel:Microsoft.AspNetCore", "Information");
}
