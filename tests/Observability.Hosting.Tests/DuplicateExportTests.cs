using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observability.Hosting.Tests.Infrastructure;
using OpenTelemetry.Exporter;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using TestSupport;
using TestSupport.Otlp;
using K = Observability.Hosting.ObservabilityConfigKeys;

namespace Observability.Hosting.Tests;

/// <summary>
/// The kit next to the app's own <c>AddOtlpExporter()</c>, which OpenTelemetry's hosting puts in the same provider:
/// to the kit's URL, the kit leaves the signal to it (each span or record arrives once); elsewhere, one warning.
/// </summary>
public sealed class DuplicateExportTests
{
    private const string StopsTraces = "the kit stops its own export of traces";
    private const string StopsLogs = "the kit stops its own export of logs";
    private const string TwiceSpans = "Every span is exported twice";
    private const string TwiceLogs = "Every log record is exported twice";

    [Theory]
    // kit's protocol, how the app's exporter gets its endpoint, the app's setup before AddObservability()
    [InlineData("http/protobuf", "in code", false)]
    [InlineData("grpc", "in code", true)]
    [InlineData("http/protobuf", "OTEL_EXPORTER_OTLP_*", true)]
    [InlineData("grpc", "OTEL_EXPORTER_OTLP_*", false)]
    public async Task The_apps_own_trace_exporter_to_the_kits_endpoint_gets_each_span_once(string protocol, string configured, bool appFirst)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var recorder = new LogRecorder();
        var fromEnvironment = configured == "OTEL_EXPORTER_OTLP_*";
        var config = fromEnvironment
            ? new Dictionary<string, string?> { [K.OtelExporterOtlpEndpoint] = receiver.Endpoint(protocol).ToString(), [K.OtelExporterOtlpProtocol] = protocol }
            : receiver.ExportingTo(protocol);
        Action<WebApplicationBuilder> app = fromEnvironment
            ? builder => builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddOtlpExporter())
            : builder => builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddOtlpExporter(o => Target(o, receiver, protocol, "traces")));
        await using var host = await StartAsync(config, recorder, app, appFirst);

        var traceIds = await RequestAsync(host, "/hello", 3);
        host.FlushTraces();
        var spans = await receiver.WaitForSpansAsync(all => traceIds.All(id => all.Any(s => s.TraceId == id && s.Kind == ReceivedSpan.KindServer)),
            TimeSpan.FromSeconds(30), "the /hello server spans");

        Assert.All(spans.GroupBy(s => s.SpanId), sent => Assert.Single(sent));
        var line = Assert.Single(recorder.Lines, l => l.Message.Contains(StopsTraces, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.Contains(TracesUrl(receiver, protocol), line.Message);
        Assert.DoesNotContain(recorder.Lines, l => l.Message.Contains(TwiceSpans, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ExportSettings.Protocols), MemberType = typeof(ExportSettings))]
    public async Task The_apps_own_trace_exporter_to_another_endpoint_is_warned_about_once(string protocol)
    {
        await using var kitReceiver = await OtlpReceiver.StartAsync();
        await using var appReceiver = await OtlpReceiver.StartAsync();
        var recorder = new LogRecorder();
        await using var host = await StartAsync(kitReceiver.ExportingTo(protocol), recorder,
            builder => builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddOtlpExporter(o => Target(o, appReceiver, protocol, "traces"))),
            appFirst: false);

        // Two flushes, so the kit's exporter sends more than one batch: the warning is still said once.
        var first = await RequestAsync(host, "/hello", 1);
        host.FlushTraces();
        var second = await RequestAsync(host, "/hello", 1);
        host.FlushTraces();
        var traceIds = first.Concat(second).ToList();
        foreach (var receiver in new[] { kitReceiver, appReceiver })
        {
            var spans = await receiver.WaitForSpansAsync(all => traceIds.All(id => all.Any(s => s.TraceId == id && s.Kind == ReceivedSpan.KindServer)),
                TimeSpan.FromSeconds(30), "the /hello server spans");
            Assert.All(spans.GroupBy(s => s.SpanId), sent => Assert.Single(sent));
        }

        var warning = Assert.Single(recorder.Lines, l => l.Message.Contains(TwiceSpans, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("by the kit to " + TracesUrl(kitReceiver, protocol), warning.Message);
        Assert.Contains(appReceiver.Endpoint(protocol).GetLeftPart(UriPartial.Authority), warning.Message);
        Assert.Contains("remove the app's AddOtlpExporter()", warning.Message);
        Assert.DoesNotContain(recorder.Lines, l => l.Message.Contains(StopsTraces, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_warning_names_the_apps_endpoint_without_user_info_or_query()
    {
        const string appEndpoint = "http://user:url-s3cret@{0}/v1/traces?token=q-s3cret";
        await using var kitReceiver = await OtlpReceiver.StartAsync();
        await using var appReceiver = await OtlpReceiver.StartAsync();
        var recorder = new LogRecorder();
        var endpoint = new Uri(string.Format(System.Globalization.CultureInfo.InvariantCulture, appEndpoint, appReceiver.HttpEndpoint.Authority));
        await using var host = await StartAsync(kitReceiver.ExportingTo(), recorder,
            builder => builder.Services.AddOpenTelemetry().WithTracing(tracing => tracing.AddOtlpExporter(o =>
            {
                o.Endpoint = endpoint;
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
                o.Headers = "authorization=Bearer header-s3cret";
            })),
            appFirst: true);

        // Said when the host has started, before any span is exported.
        var warning = Assert.Single(recorder.Lines, l => l.Message.Contains(TwiceSpans, StringComparison.Ordinal));
        Assert.Contains($"to http://{appReceiver.HttpEndpoint.Authority}/v1/traces.", warning.Message);
        Assert.DoesNotContain("s3cret", warning.Message);
        Assert.DoesNotContain("user", warning.Message);
    }

    [Theory]
    // The app's own OpenTelemetry setup beside the kit: none, or an OTLP exporter of metrics only (not a second
    // trace or log exporter, so nothing is said). These rows guard against a false alarm.
    [InlineData("none")]
    [InlineData("metrics only")]
    public async Task Without_a_second_trace_or_log_exporter_nothing_is_said_and_the_kit_exports(string appSetup)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var recorder = new LogRecorder();
        Action<WebApplicationBuilder>? app = appSetup == "metrics only"
            ? builder => builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter("Tests.Unused").AddOtlpExporter(o =>
            {
                o.Endpoint = new Uri(receiver.HttpEndpoint, "/v1/metrics");
                o.Protocol = OtlpExportProtocol.HttpProtobuf;
            }))
            : null;
        await using var host = await StartAsync(receiver.ExportingTo(), recorder, app, appFirst: false);

        var traceIds = await RequestAsync(host, "/log", 1);
        host.FlushTraces();
        host.FlushLogs();
        var spans = await receiver.WaitForSpansAsync(all => all.Any(s => s.TraceId == traceIds[0] && s.Kind == ReceivedSpan.KindServer),
            TimeSpan.FromSeconds(30), "the /log server span");
        var logs = await receiver.WaitForLogsAsync(all => all.Any(r => r.TraceId == traceIds[0] && r.Body == "Handled {Url}"),
            TimeSpan.FromSeconds(30), "the /log record");

        Assert.All(spans.GroupBy(s => s.SpanId), sent => Assert.Single(sent));
        Assert.Single(logs, r => r.TraceId == traceIds[0] && r.Body == "Handled {Url}");
        Assert.DoesNotContain(recorder.Lines, l => l.Message.Contains("exported twice", StringComparison.Ordinal)
            || l.Message.Contains("the kit stops its own export", StringComparison.Ordinal));
    }

    [Theory]
    // how the app adds its own log exporter, the app's setup before AddObservability()
    [InlineData("WithLogging", false)]
    [InlineData("Logging.AddOpenTelemetry", true)]
    public async Task The_apps_own_log_exporter_to_the_kits_endpoint_gets_each_record_once(string how, bool appFirst)
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var recorder = new LogRecorder();
        await using var host = await StartAsync(receiver.ExportingTo(), recorder, AppLogExporter(how, receiver), appFirst);

        var traceIds = await RequestAsync(host, "/log", 3);
        host.FlushLogs();
        var logs = await receiver.WaitForLogsAsync(all => traceIds.All(id => all.Any(r => r.TraceId == id && r.Body == "Handled {Url}")),
            TimeSpan.FromSeconds(30), "the /log records");

        Assert.All(traceIds, id => Assert.Single(logs, r => r.TraceId == id && r.Body == "Handled {Url}"));
        // The kit's scrubber still runs on the records the app's exporter sends.
        Assert.All(logs.Where(r => r.Body == "Handled {Url}"), r => Assert.EndsWith("/log?q=REDACTED", r.Attribute("Url")));
        var line = Assert.Single(recorder.Lines, l => l.Message.Contains(StopsLogs, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Information, line.Level);
        Assert.DoesNotContain(recorder.Lines, l => l.Message.Contains(TwiceLogs, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("WithLogging")]
    [InlineData("Logging.AddOpenTelemetry")]
    public async Task The_apps_own_log_exporter_to_another_endpoint_is_warned_about_once(string how)
    {
        await using var kitReceiver = await OtlpReceiver.StartAsync();
        await using var appReceiver = await OtlpReceiver.StartAsync();
        var recorder = new LogRecorder();
        await using var host = await StartAsync(kitReceiver.ExportingTo(), recorder, AppLogExporter(how, appReceiver), appFirst: false);

        var traceIds = await RequestAsync(host, "/log", 1);
        host.FlushLogs();
        foreach (var receiver in new[] { kitReceiver, appReceiver })
        {
            var logs = await receiver.WaitForLogsAsync(all => all.Any(r => r.TraceId == traceIds[0] && r.Body == "Handled {Url}"),
                TimeSpan.FromSeconds(30), "the /log record");
            Assert.Single(logs, r => r.TraceId == traceIds[0] && r.Body == "Handled {Url}");
        }

        var warning = Assert.Single(recorder.Lines, l => l.Message.Contains(TwiceLogs, StringComparison.Ordinal));
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"by the kit to http://{kitReceiver.HttpEndpoint.Authority}/v1/logs", warning.Message);
        Assert.Contains($"to http://{appReceiver.HttpEndpoint.Authority}/v1/logs", warning.Message);
        Assert.DoesNotContain(recorder.Lines, l => l.Message.Contains(StopsLogs, StringComparison.Ordinal));
    }

    private static Action<WebApplicationBuilder> AppLogExporter(string how, OtlpReceiver receiver) => how switch
    {
        "WithLogging" => builder => builder.Services.AddOpenTelemetry().WithLogging(logs => logs.AddOtlpExporter(o => Target(o, receiver, "http/protobuf", "logs"))),
        _ => builder => builder.Logging.AddOpenTelemetry(logs => logs.AddOtlpExporter(o => Target(o, receiver, "http/protobuf", "logs"))),
    };

    private static Task<TestHost> StartAsync(
        Dictionary<string, string?> config, LogRecorder recorder, Action<WebApplicationBuilder>? app, bool appFirst) =>
        TestHost.StartAsync(config,
            beforeKit: builder =>
            {
                builder.Logging.AddProvider(recorder);
                if (appFirst) app?.Invoke(builder);
            },
            afterKit: appFirst ? null : app);

    // The URL the kit's start line names for traces.
    private static string TracesUrl(OtlpReceiver receiver, string protocol) =>
        protocol == "grpc" ? $"http://{receiver.GrpcEndpoint.Authority}/" : $"http://{receiver.HttpEndpoint.Authority}/v1/traces";

    private static void Target(OtlpExporterOptions options, OtlpReceiver receiver, string protocol, string signal)
    {
        options.Protocol = protocol == "grpc" ? OtlpExportProtocol.Grpc : OtlpExportProtocol.HttpProtobuf;
        // An endpoint set in code is used as is for HTTP (no signal path is added); gRPC adds its service path.
        options.Endpoint = protocol == "grpc" ? receiver.GrpcEndpoint : new Uri(receiver.HttpEndpoint, "/v1/" + signal);
    }

    private static async Task<List<string>> RequestAsync(TestHost host, string path, int count)
    {
        var traceIds = new List<string>();
        for (var i = 0; i < count; i++)
            traceIds.Add(await host.Client.GetTracedAsync(path + "?q=s3cret-" + i));
        return traceIds;
    }
}
