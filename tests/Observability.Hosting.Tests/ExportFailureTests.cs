using System.Net;
using Observability.Hosting.Tests.Infrastructure;
using TestSupport.Otlp;
using static Observability.Hosting.Tests.Infrastructure.Exposition;

namespace Observability.Hosting.Tests;

/// <summary>
/// A down or slow trace backend never fails requests; lost spans are counted in the app's metrics. Runs alone:
/// the span counts must not include spans of other test hosts in the same process.
/// </summary>
[Collection(RunsAloneCollection.Name)]
public sealed class ExportFailureTests
{
    [Theory]
    [MemberData(nameof(ExportSettings.Protocols), MemberType = typeof(ExportSettings))]
    public async Task Refused_connections_leave_requests_untouched_and_are_counted(string protocol)
    {
        await using var host = await TestHost.StartAsync(ExportSettings.ToClosedPort(protocol));
        for (var i = 0; i < 20; i++)
        {
            using var response = await host.Client.GetAsync("/hello");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        host.FlushTraces();

        AssertRefused(await host.ScrapeAsync(), "traces", "spans", dropped: 20);
    }

    [Fact]
    public async Task A_full_export_queue_drops_and_counts_instead_of_blocking()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        receiver.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var host = await TestHost.StartAsync(receiver.ExportingTo(), configure: ExportSettings.SmallQueue);
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
}
