using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Observability.Hosting.Tests.Infrastructure;
using TestSupport.Otlp;

namespace Observability.Hosting.Tests;

/// <summary>
/// A down or slow trace backend never fails requests; lost spans are counted in the app's metrics. Runs alone:
/// the span counts must not include spans of other test hosts in the same process.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class ExportFailureTests
{
    [Theory]
    [InlineData("http/protobuf")]
    [InlineData("grpc")]
    public async Task Refused_connections_leave_requests_untouched_and_are_counted(string protocol)
    {
        var closedPort = TestSupport.FreePort.Tcp(); // nothing listens there
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            [ObservabilityConfigKeys.OtlpEndpoint] = $"http://127.0.0.1:{closedPort}",
            [ObservabilityConfigKeys.OtlpProtocol] = protocol,
        });
        for (var i = 0; i < 20; i++)
        {
            using var response = await host.Client.GetAsync("/hello");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        host.FlushTraces();

        var text = await host.ScrapeAsync();
        Assert.True(Value(text, "observability_export_failures_total{signal=\"traces\"}") >= 1, text);
        Assert.True(Value(text, "observability_spans_dropped_total") >= 20, text);
        Assert.Equal(0, Value(text, "observability_spans_exported_total"));
    }

    [Fact]
    public async Task A_full_export_queue_drops_and_counts_instead_of_blocking()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        receiver.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>
        {
            [ObservabilityConfigKeys.OtlpEndpoint] = receiver.HttpEndpoint.ToString(),
            [ObservabilityConfigKeys.OtlpProtocol] = "http/protobuf",
        }, configure: o =>
        {
            o.Otlp.MaxQueueSize = 4;
            o.Otlp.MaxExportBatchSize = 2;
            o.Otlp.ExportTimeout = TimeSpan.FromSeconds(60);
        });
        for (var i = 0; i < 10; i++)
            (await host.Client.GetAsync("/hello")).EnsureSuccessStatusCode();

        // At most one batch (2) is in flight and 4 wait: at least 4 of the 10 spans were dropped.
        var whileBlocked = await host.ScrapeAsync();
        Assert.True(Value(whileBlocked, "observability_spans_dropped_total") >= 4, whileBlocked);

        receiver.Gate.SetResult();
        host.FlushTraces();
        var after = await host.ScrapeAsync();
        Assert.True(10 == Value(after, "observability_spans_dropped_total") + Value(after, "observability_spans_exported_total"),
            string.Join("; ", receiver.Spans.Select(s => $"{s.Name} {s.Kind} {s.ScopeName} {string.Join(',', s.Attributes.Select(a => a.Key + '=' + a.Value))}")));
    }

    private static double Value(string exposition, string series)
    {
        var match = Regex.Match(exposition, "^" + Regex.Escape(series) + " (\\S+)$", RegexOptions.Multiline);
        Assert.True(match.Success, $"{series} missing from:\n{exposition}");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
