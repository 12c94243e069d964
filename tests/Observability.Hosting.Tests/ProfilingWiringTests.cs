using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using Observability.Hosting.Tests.Infrastructure;
using TestSupport.Pprof;
using TestSupport;
using TestSupport.Otlp;

namespace Observability.Hosting.Tests;

/// <summary>The profiler as wired by <c>AddObservability()</c>: debug endpoints on the management port, span links.</summary>
public sealed class ProfilingWiringTests
{
    private static readonly Dictionary<string, string?> ProfilingOn = new()
    {
        [ObservabilityConfigKeys.ProfilingEnabled] = "true",
    };

    [Fact]
    public async Task The_request_time_profile_is_served_on_the_management_port_only()
    {
        await using var host = await TestHost.StartAsync(ProfilingOn);
        var capture = host.Management!.GetAsync("debug/pprof/profile?seconds=2&type=request");
        // Traffic inside the capture window; the capture's own answer is the signal that the window closed.
        while (!capture.IsCompleted)
            (await host.Client.GetAsync("/hello")).EnsureSuccessStatusCode();
        using var response = await capture;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var gzipped = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x1f, 0x8b }, gzipped[..2]);
        using var raw = new MemoryStream();
        await using (var gzip = new GZipStream(new MemoryStream(gzipped), CompressionMode.Decompress)) await gzip.CopyToAsync(raw);
        var profile = PprofProfile.Parse(raw.ToArray());
        Assert.Contains(profile.ToStacks(), stack => stack.Key.Any(frame => frame.Contains("GET /hello", StringComparison.Ordinal)));

        using var svg = await host.Management.GetAsync("debug/pprof/flamegraph?seconds=1&type=request");
        Assert.Equal(HttpStatusCode.OK, svg.StatusCode);
        Assert.Contains("<svg", await svg.Content.ReadAsStringAsync());

        using var publicProfile = await host.Client.GetAsync("/debug/pprof/profile?seconds=1&type=request");
        Assert.Equal(HttpStatusCode.NotFound, publicProfile.StatusCode);
        Assert.Contains("observability_export_failures_total{signal=\"profiles\"}", await host.ScrapeAsync());
    }

    [Fact]
    public async Task The_profilers_own_pushes_to_pyroscope_are_not_traced()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var pyroscopePort = FreePort.Tcp(); // nothing listens: every push fails, after its span would have started
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>(ProfilingOn)
        {
            [ObservabilityConfigKeys.OtlpEndpoint] = receiver.HttpEndpoint.ToString(),
            [ObservabilityConfigKeys.OtlpProtocol] = "http/protobuf",
            [ObservabilityConfigKeys.ProfilingServerAddress] = $"http://127.0.0.1:{pyroscopePort}",
            [ObservabilityConfigKeys.ProfilingUploadInterval] = "1",
        });
        await Eventually.ReturnsAsync(() => host.ScrapeAsync(), text => PushesDropped(text) >= 2, TimeSpan.FromSeconds(30),
            "failed profile pushes", text => PushesDropped(text).ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The app's own outgoing call is traced, so the export of client spans works while the pushes leave none.
        (await host.Client.GetAsync("/outgoing")).EnsureSuccessStatusCode();
        host.FlushTraces();
        var spans = await receiver.WaitForSpansAsync(s => s.Any(span => span.Kind == ReceivedSpan.KindClient), TimeSpan.FromSeconds(15), "the app's own client span");

        Assert.DoesNotContain(spans, span => span.Attributes.GetValueOrDefault("server.port") == pyroscopePort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain(spans, span => span.Attributes.GetValueOrDefault("url.full")?.Contains("PusherService", StringComparison.Ordinal) == true);

        static double PushesDropped(string exposition) => exposition.Split('\n')
            .Where(line => line.StartsWith("observability_profiles_dropped_total{", StringComparison.Ordinal) && line.Contains("reason=\"unreachable\"", StringComparison.Ordinal))
            .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task With_eventpipe_bursts_exported_root_spans_carry_their_profile_id_when_a_sampling_window_overlapped_them()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        await using var host = await TestHost.StartAsync(new Dictionary<string, string?>(ProfilingOn)
        {
            [ObservabilityConfigKeys.OtlpEndpoint] = receiver.HttpEndpoint.ToString(),
            [ObservabilityConfigKeys.OtlpProtocol] = "http/protobuf",
            // EventPipe's windows decide the link here (with perf events a root links when it has CPU samples:
            // the profiler's SpanProfileProcessor tests). Steady bursts out of the way: the debug window is the only sampling.
            [ObservabilityConfigKeys.ProfilingCpuSampler] = "eventpipe",
            [ObservabilityConfigKeys.ProfilingBurstDuration] = "0.1",
            [ObservabilityConfigKeys.ProfilingBurstPeriod] = "01:00:00",
        });

        // Requests go on while a 3-second debug window samples: those it overlapped get their span id as profile id.
        var window = host.Management!.GetAsync("debug/pprof/profile?seconds=3&type=cpu");
        var sent = new List<string>();
        while (!window.IsCompleted) sent.Add(await SendWithRemoteParentAsync(host));
        using (var response = await window) Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        host.FlushTraces();
        var spans = await receiver.WaitForSpansAsync(all => sent.All(id => all.Any(s => s.TraceId == id)), TimeSpan.FromSeconds(30), "every server span");
        var servers = spans.Where(s => sent.Contains(s.TraceId) && s.Kind == ReceivedSpan.KindServer).ToList();
        // Spans outside any window get no id (SpanLinkTests in the profiler's tests, where no other host samples); a
        // span that has one has its own.
        Assert.Contains(servers, s => s.Attribute("pyroscope.profile.id") == s.SpanId);
        Assert.All(servers, s => Assert.True(s.Attribute("pyroscope.profile.id") is null || s.Attribute("pyroscope.profile.id") == s.SpanId));
    }

    private static async Task<string> SendWithRemoteParentAsync(TestHost host)
    {
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/hello");
        // A remote parent: the server span is the local root of this process.
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        (await host.Client.SendAsync(request)).EnsureSuccessStatusCode();
        return traceId;
    }

    [Fact]
    public async Task Profiling_off_maps_no_debug_endpoints()
    {
        await using var host = await TestHost.StartAsync();
        using var response = await host.Management!.GetAsync("debug/pprof/profile?seconds=1&type=request");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
