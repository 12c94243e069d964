using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Observability.Profiling.Implementation;
using Observability.Profiling.Implementation.Profiles;
using TestSupport;

namespace Observability.Profiling.Tests;

[Collection(EventPipeCollection.Name)]
public class PushTests
{
    [Fact]
    public async Task Pushes_cpu_and_request_profiles_with_documented_labels_headers_and_valid_pprof()
    {
        await using var receiver = await PushReceiver.StartAsync();
        await using var host = await ProfiledHost.StartAsync(o =>
        {
            o.ServerAddress = new Uri(receiver.Address);
            o.UploadInterval = TimeSpan.FromMilliseconds(500);
            o.Labels["env"] = "test";
            o.Labels["__name__"] = "must-not-override";
            o.BasicAuthUser = "user";
            o.BasicAuthPassword = "secret";
            o.TenantId = "tenant-1";
        });
        await host.WaitForSamplerAsync();

        string? spanId = null;
        await Workload.OnThread(() =>
        {
            using var span = ProfiledHost.Source.StartActivity("GET /articles", ActivityKind.Server)!;
            // As the hosting middleware does once it read the request's baggage.
            var labels = new LoadTestLabels("run-7", "smoke");
            span.SetCustomProperty(LoadTestLabels.ActivityPropertyName, labels);
            Implementation.Spans.ThreadSpanTracker.Relabel(span, labels);
            spanId = span.SpanId.ToHexString();
            Workload.SpinAlpha(TimeSpan.FromSeconds(1));
        });

        var request = await receiver.WaitForAsync("request", p => p.Profiles[0].Samples.Any(s => s.Labels.GetValueOrDefault("span_id") == spanId));
        Assert.Equal("application/proto", request.ContentType);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("user:secret")), request.Authorization);
        Assert.Equal("tenant-1", request.Tenant);
        Assert.Equal(1, request.SeriesCount);
        Assert.Equal("profiling-tests", request.Labels["service_name"]);
        Assert.Equal("dotnet-eventpipe", request.Labels["spy_name"]);
        Assert.Equal("test", request.Labels["env"]);
        var requestProfile = Assert.Single(request.Profiles);
        Assert.Equal(new[] { ("request_time", "nanoseconds") }, requestProfile.SampleTypes);
        var spanSample = requestProfile.Samples.Single(s => s.Labels.GetValueOrDefault("span_id") == spanId);
        Assert.Equal(new[] { "GET /articles" }, spanSample.Stack);
        Assert.InRange(spanSample.Values[0], 900_000_000, 30_000_000_000);
        Assert.Equal("run-7", spanSample.Labels["k6_testid"]);
        Assert.Equal("smoke", spanSample.Labels["k6_scenario"]);
        Assert.Equal(32, spanSample.Labels["trace_id"].Length);

        var cpu = await receiver.WaitForAsync("process_cpu", p => p.Profiles[0].Samples.Any(s => s.Labels.GetValueOrDefault("span_id") == spanId));
        var cpuProfile = Assert.Single(cpu.Profiles);
        Assert.Equal(new[] { ("cpu", "nanoseconds") }, cpuProfile.SampleTypes);
        Assert.Equal(("cpu", "nanoseconds"), cpuProfile.PeriodType);
        Assert.InRange(cpuProfile.DurationNanos, 1, 10_000_000_000);
        Assert.Contains(cpuProfile.Samples, s => s.Stack.Contains("Observability.Profiling.Tests.Workload.SpinAlpha") && s.Labels.GetValueOrDefault("k6_testid") == "run-7");
        Assert.True(host.App.Services.GetRequiredService<ProfilerMetrics>().Pushed.WithLabels("cpu").Value >= 1);
    }

    [Fact]
    public async Task In_auto_mode_a_pushed_cpu_profile_says_which_part_of_its_window_was_sampled()
    {
        await using var receiver = await PushReceiver.StartAsync();
        await using var host = await ProfiledHost.StartAsync(o =>
        {
            o.ServerAddress = new Uri(receiver.Address);
            o.UploadInterval = TimeSpan.FromSeconds(3);
            o.Mode = ProfilingMode.Auto;
            o.CpuSampler = CpuSamplerKind.EventPipe;
            o.BurstDuration = TimeSpan.FromMilliseconds(400);
            o.BurstPeriod = TimeSpan.FromSeconds(2);
        });
        using var stop = new CancellationTokenSource();
        var spin = Workload.OnThread(() => Workload.SpinMarker(stop.Token));
        try
        {
            var cpu = await receiver.WaitForAsync("process_cpu", p => p.Profiles[0].Samples.Any(s => s.Stack.Contains("Observability.Profiling.Tests.Workload.SpinMarker")));
            var profile = Assert.Single(cpu.Profiles);
            // A 3 s window holds one or two 0.4 s bursts (each session also samples while it opens and stops, a few
            // hundred ms on this machine): the profile says how long was sampled, well short of the 3 s window.
            Assert.InRange(profile.DurationNanos, 100_000_000, 2_500_000_000);
            var spinNanos = profile.Samples.Where(s => s.Stack.Contains("Observability.Profiling.Tests.Workload.SpinMarker")).Sum(s => s.Values[0]);
            // Values are samples taken, not scaled to the window: at most the sampled time (plus dispatch lag).
            Assert.True(spinNanos <= profile.DurationNanos + 300_000_000, $"{spinNanos} ns of samples in {profile.DurationNanos} ns sampled");
        }
        finally
        {
            stop.Cancel();
            await spin;
        }
    }

    [Fact]
    public async Task Refused_push_costs_the_app_nothing_and_is_counted()
    {
        var closedPort = TestSupport.FreePort.Tcp();
        await AssertHostServesWhilePushFailsAsync($"http://127.0.0.1:{closedPort}", "unreachable");
    }

    [Fact]
    public async Task Hanging_push_costs_the_app_nothing_and_is_counted()
    {
        // Accepts connections and never answers: each push ends at the upload timeout.
        using var blackHole = new TcpListener(IPAddress.Loopback, 0);
        blackHole.Start();
        var accepted = new List<Socket>();
        using var stop = new CancellationTokenSource();
        var acceptLoop = Task.Run(async () =>
        {
            try
            {
                while (true) accepted.Add(await blackHole.AcceptSocketAsync(stop.Token));
            }
            catch (OperationCanceledException)
            {
            }
        });
        try
        {
            await AssertHostServesWhilePushFailsAsync($"http://127.0.0.1:{((IPEndPoint)blackHole.LocalEndpoint).Port}", "timeout");
        }
        finally
        {
            stop.Cancel();
            await acceptLoop;
            foreach (var socket in accepted) socket.Dispose();
        }
    }

    private static async Task AssertHostServesWhilePushFailsAsync(string server, string reason)
    {
        await using var host = await ProfiledHost.StartAsync(o =>
        {
            o.ServerAddress = new Uri(server);
            // The request-time profile alone: this test is about the push, not the sampler.
            o.Mode = ProfilingMode.Off;
            o.UploadInterval = TimeSpan.FromMilliseconds(200);
            // Long enough that a request waiting for a push would stand out from a busy machine's scheduling delays.
            o.UploadTimeout = TimeSpan.FromSeconds(3);
            o.UploadQueueCapacity = 2;
        });

        Assert.Equal("pong", await host.Client.GetStringAsync("/ping")); // The first request pays for JIT.
        var slowest = TimeSpan.Zero;
        // Each host counts into its own registry: no other test's drops are seen here. Traced requests keep
        // profiles coming until three of them have been dropped for this reason.
        var metrics = host.App.Services.GetRequiredService<ProfilerMetrics>();
        // Warm-up: the first traced requests and the first failed push pay one-time costs (JIT of those paths, the
        // first exception in the process). Two CI runs saw one request of that phase take 0.85-0.9 s on a loaded
        // machine (unexplained so far, noted in issue 11); what is asserted is the steady state of a failing push.
        await Eventually.ReturnsAsync(
            async () =>
            {
                using (ProfiledHost.Source.StartActivity("warm-up", ActivityKind.Server))
                {
                    Assert.Equal("pong", await host.Client.GetStringAsync("/ping"));
                }
                return metrics.Dropped.WithLabels("request", reason).Value;
            },
            dropped => dropped >= 1,
            TimeSpan.FromSeconds(60),
            $"a first '{reason}' drop counted",
            interval: TimeSpan.FromMilliseconds(20));
        var dropsBefore = metrics.Dropped.WithLabels("request", reason).Value;
        await Eventually.ReturnsAsync(
            async () =>
            {
                using (ProfiledHost.Source.StartActivity("work", ActivityKind.Server))
                {
                    var watch = Stopwatch.StartNew();
                    Assert.Equal("pong", await host.Client.GetStringAsync("/ping"));
                    if (watch.Elapsed > slowest) slowest = watch.Elapsed;
                }
                return metrics.Dropped.WithLabels("request", reason).Value;
            },
            dropped => dropped >= dropsBefore + 3,
            TimeSpan.FromSeconds(60),
            $"three more '{reason}' drops counted",
            interval: TimeSpan.FromMilliseconds(20));
        // The app's own requests never waited for the profile server: a request that waited for a hanging push would
        // take its whole upload timeout (3 s); half of it leaves room for a loaded machine's scheduling.
        Assert.True(slowest < TimeSpan.FromSeconds(1.5), $"slowest request {slowest.TotalMilliseconds} ms");
        Assert.True(metrics.ExportFailures.Value >= 3);
    }
}
