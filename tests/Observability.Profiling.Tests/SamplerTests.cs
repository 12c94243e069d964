using System.Diagnostics;
using System.Net;
using Observability.Profiling.Implementation.Profiles;
using TestSupport.Pprof;
using TestSupport;

namespace Observability.Profiling.Tests;

[Collection(EventPipeCollection.Name)]
public class SamplerTests
{
    [Theory]
    [InlineData(CpuSamplerKind.Perf)]
    [InlineData(CpuSamplerKind.EventPipe)]
    public async Task Cpu_profile_endpoint_is_read_by_go_tool_pprof_with_the_hot_method_on_top(CpuSamplerKind sampler)
    {
        await using var host = await SamplingHostAsync(sampler);

        var work = Workload.OnThread(() => Workload.SpinAlpha(TimeSpan.FromSeconds(4)));
        using var response = await host.Client.GetAsync("/debug/pprof/profile?seconds=3&type=cpu");
        await work;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsByteArrayAsync();
        var profile = PprofProfile.Parse(body);
        Assert.Equal(new[] { ("cpu", "nanoseconds") }, profile.SampleTypes);
        Assert.Equal(("cpu", "nanoseconds"), profile.PeriodType);
        Assert.Equal(10_000_000, profile.Period); // Perf events sample at 100 Hz; profiling.runsettings sets EventPipe's 10 ms rate.

        var top = await GoPprof.TopAsync(body);
        Assert.Contains("Type: cpu", top);
        var firstRow = top.Split('\n').SkipWhile(l => !l.TrimStart().StartsWith("flat", StringComparison.Ordinal)).Skip(1).First();
        Assert.True(firstRow.Contains("Observability.Profiling.Tests.Workload.SpinAlpha", StringComparison.Ordinal), top);
    }

    [Theory]
    [InlineData(CpuSamplerKind.Perf)]
    [InlineData(CpuSamplerKind.EventPipe)]
    public async Task Hot_method_inside_a_span_carries_that_span_id_and_other_spans_are_not_mislabelled(CpuSamplerKind sampler)
    {
        await using var host = await SamplingHostAsync(sampler);
        string? spanS = null, spanT = null, traceS = null;
        var captures = await CaptureAsync(host, () => Task.WhenAll(
            Workload.OnThread(() =>
            {
                using var span = ProfiledHost.Source.StartActivity("S", ActivityKind.Server)!;
                (spanS, traceS) = (span.SpanId.ToHexString(), span.TraceId.ToHexString());
                Workload.SpinAlpha(TimeSpan.FromSeconds(4));
            }),
            Workload.OnThread(() =>
            {
                using var span = ProfiledHost.Source.StartActivity("T", ActivityKind.Server)!;
                spanT = span.SpanId.ToHexString();
                Workload.SpinBeta(TimeSpan.FromSeconds(4));
            })), ProfileKind.Cpu, ProfileKind.Wall);
        var (capture, wall) = (captures[0], captures[1]);

        var samples = capture.Snapshot();
        long Sum(string method, Func<SampleLabels, bool> filter) => samples
            .Where(kv => kv.Key.Frames.Contains("Observability.Profiling.Tests.Workload." + method) && filter(kv.Key.Labels))
            .Sum(kv => kv.Value);

        var alpha = Sum("SpinAlpha", _ => true);
        var beta = Sum("SpinBeta", _ => true);
        // The machine may be busy: 30 samples still make a 90 % share meaningful.
        Assert.True(alpha >= 30 * 10_000_000L, $"too few SpinAlpha samples: {alpha / 10_000_000}");
        Assert.True(beta >= 30 * 10_000_000L, $"too few SpinBeta samples: {beta / 10_000_000}");
        var alphaInS = (double)Sum("SpinAlpha", l => l.SpanId == spanS) / alpha;
        var betaInT = (double)Sum("SpinBeta", l => l.SpanId == spanT) / beta;
        Assert.True(alphaInS >= 0.9, $"only {alphaInS:P1} of SpinAlpha samples carry span S");
        Assert.True(betaInT >= 0.9, $"only {betaInT:P1} of SpinBeta samples carry span T");
        Assert.Equal(0, Sum("SpinBeta", l => l.SpanId == spanS));
        Assert.Equal(0, Sum("SpinAlpha", l => l.SpanId == spanT));
        Assert.Equal(0, Sum("SpinMarker", l => l.SpanId is not null));
        Assert.All(samples.Where(kv => kv.Key.Labels.SpanId == spanS), kv => Assert.Equal(traceS, kv.Key.Labels.TraceId));

        // Wall time covers request threads only: the marker thread ran outside any span.
        var wallSamples = wall.Snapshot();
        Assert.Contains(wallSamples, kv => kv.Key.Labels.SpanId == spanS);
        Assert.DoesNotContain(wallSamples, kv => kv.Key.Frames.Contains("Observability.Profiling.Tests.Workload.SpinMarker"));
    }

    [Theory]
    [InlineData(CpuSamplerKind.Perf)]
    [InlineData(CpuSamplerKind.EventPipe)]
    public async Task Native_work_of_a_request_is_cpu_and_a_blocked_request_thread_is_wall_only(CpuSamplerKind sampler)
    {
        await using var host = await SamplingHostAsync(sampler);
        string? hashing = null, sleeping = null;
        var captures = await CaptureAsync(host, () => Task.WhenAll(
            Workload.OnThread(() =>
            {
                using var span = ProfiledHost.Source.StartActivity("hash", ActivityKind.Server)!;
                hashing = span.SpanId.ToHexString();
                Workload.HashNatively(TimeSpan.FromSeconds(3));
            }),
            Workload.OnThread(() =>
            {
                using var span = ProfiledHost.Source.StartActivity("sleep", ActivityKind.Server)!;
                sleeping = span.SpanId.ToHexString();
                Workload.SleepBlocked(TimeSpan.FromSeconds(3));
            })), ProfileKind.Cpu, ProfileKind.Wall);
        var (cpu, wall) = (captures[0], captures[1]);

        const string hashFrame = "Observability.Profiling.Tests.Workload.HashNatively";
        var hashCpu = cpu.Snapshot().Where(kv => kv.Key.Labels.SpanId == hashing && kv.Key.Frames.Contains(hashFrame)).Sum(kv => kv.Value);
        Assert.True(hashCpu >= 30 * 10_000_000L, $"native hashing got {hashCpu / 10_000_000} CPU samples");
        // CPU values are the thread's measured CPU time (perf events count it; EventPipe samples are weighted by it): a
        // blocked request thread used almost none (starting its span, waking up), where a tick count would have given
        // it whole periods.
        var sleepCpu = cpu.Snapshot().Where(kv => kv.Key.Labels.SpanId == sleeping).Sum(kv => kv.Value);
        var sleepTop = cpu.Snapshot().Where(kv => kv.Key.Labels.SpanId == sleeping).OrderByDescending(kv => kv.Value).FirstOrDefault();
        Assert.True(sleepCpu <= 20_000_000L, $"the sleeping request thread got {sleepCpu / 1e6:0.###} ms of CPU, most in {string.Join(" > ", sleepTop.Key.Frames ?? [])}");
        var sleepWall = wall.Snapshot().Where(kv => kv.Key.Labels.SpanId == sleeping).Sum(kv => kv.Value);
        Assert.True(sleepWall >= 50 * 10_000_000L, $"the sleeping request thread got {sleepWall / 10_000_000} wall samples");
    }

    [Theory]
    [InlineData(CpuSamplerKind.Perf)]
    [InlineData(CpuSamplerKind.EventPipe)]
    public async Task A_thread_started_in_a_request_does_not_carry_its_span_after_the_span_ended(CpuSamplerKind sampler)
    {
        await using var host = await SamplingHostAsync(sampler);
        string? spanId = null;
        var captures = await CaptureAsync(host, () =>
        {
            Task background;
            using (var span = ProfiledHost.Source.StartActivity("short request", ActivityKind.Server)!)
            {
                spanId = span.SpanId.ToHexString();
                // The new thread inherits the request's execution context (and so its AsyncLocal values).
                background = Workload.OnThread(() => Workload.SpinBeta(TimeSpan.FromSeconds(3)));
            }
            return background;
        }, ProfileKind.Cpu);
        var cpu = captures[0];

        var beta = cpu.Snapshot().Where(kv => kv.Key.Frames.Contains("Observability.Profiling.Tests.Workload.SpinBeta")).ToList();
        var total = beta.Sum(kv => kv.Value);
        var labelled = beta.Where(kv => kv.Key.Labels.SpanId == spanId).Sum(kv => kv.Value);
        Assert.True(total >= 30 * 10_000_000L, $"too few SpinBeta samples: {total / 10_000_000}");
        Assert.True(labelled <= total / 10, $"{labelled * 100 / total} % of the samples after the span ended carry it");
    }

    [Theory]
    [InlineData(CpuSamplerKind.Perf)]
    [InlineData(CpuSamplerKind.EventPipe)]
    public async Task Flame_graph_endpoint_returns_an_svg_with_the_hot_method(CpuSamplerKind sampler)
    {
        await using var host = await SamplingHostAsync(sampler);

        var work = Workload.OnThread(() => Workload.SpinBeta(TimeSpan.FromSeconds(3)));
        using var response = await host.Client.GetAsync("/debug/pprof/flamegraph?seconds=2&type=cpu");
        await work;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        var svg = await response.Content.ReadAsStringAsync();
        System.Xml.Linq.XDocument.Parse(svg);
        Assert.Contains("Observability.Profiling.Tests.Workload.SpinBeta (", svg);
    }

    [Theory]
    [InlineData("/debug/pprof/profile?seconds=0")]
    [InlineData("/debug/pprof/profile?seconds=abc")]
    [InlineData("/debug/pprof/profile?seconds=-3")]
    [InlineData("/debug/pprof/profile?seconds=61")]
    [InlineData("/debug/pprof/profile?type=heap")]
    [InlineData("/debug/pprof/flamegraph?seconds=1&type=")]
    public async Task Bad_parameters_are_400(string path)
    {
        await using var host = await ProfiledHost.StartAsync(o => o.MaxSecondsPerRequest = 60);
        using var response = await host.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    /// <summary>
    /// A host whose CPU samples come from <paramref name="sampler"/>, once it delivers them. EventPipe sessions run the
    /// rundown: a test's hot method may have been compiled again since an earlier test, and only a rundown names it.
    /// </summary>
    private static async Task<ProfiledHost> SamplingHostAsync(CpuSamplerKind sampler)
    {
        var host = await ProfiledHost.StartAsync(o => o.CpuSampler = sampler, rundown: sampler == CpuSamplerKind.EventPipe);
        await host.WaitForCpuSamplerAsync(sampler);
        return host;
    }

    /// <summary>
    /// Captures <paramref name="kinds"/> (CPU first) while <paramref name="work"/> runs and until a marker started after
    /// it shows up in the CPU capture: samples are dispatched in time order, so the work's are all in by then.
    /// </summary>
    private static async Task<ProfileAggregator[]> CaptureAsync(ProfiledHost host, Func<Task> work, params ProfileKind[] kinds)
    {
        var captures = kinds.Select(host.Hub.BeginCapture).ToArray();
        try
        {
            await work();
            using var stopMarker = new CancellationTokenSource();
            var marker = Workload.OnThread(() => Workload.SpinMarker(stopMarker.Token));
            try
            {
                await WaitForFrameAsync(captures[0], "Observability.Profiling.Tests.Workload.SpinMarker");
            }
            finally
            {
                stopMarker.Cancel();
                await marker;
            }
        }
        finally
        {
            foreach (var capture in captures) host.Hub.EndCapture(capture);
        }
        return captures;
    }

    private static Task WaitForFrameAsync(ProfileAggregator capture, string frame) =>
        Eventually.HoldsAsync(
            () => capture.Snapshot().Any(kv => kv.Key.Frames.Contains(frame)),
            TimeSpan.FromSeconds(30),
            $"a sample with {frame}",
            () => $"{capture.Snapshot().Count} stacks; heaviest: " + string.Join(" | ", capture.Snapshot().OrderByDescending(kv => kv.Value).Take(3).Select(kv => string.Join(";", kv.Key.Frames.TakeLast(3)))),
            TimeSpan.FromMilliseconds(50));
}
