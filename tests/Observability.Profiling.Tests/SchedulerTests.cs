using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Observability.Profiling.Implementation;
using TestSupport.Pprof;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Sampling;
using TestSupport;
using Xunit.Abstractions;

namespace Observability.Profiling.Tests;

/// <summary>The scheduler with real EventPipe sessions: on-demand windows, load tests, many bursts, a hung stop.</summary>
[Collection(EventPipeCollection.Name)]
public class SchedulerTests
{
    private readonly ITestOutputHelper _output;

    public SchedulerTests(ITestOutputHelper output) => _output = output;

    /// <summary>Auto mode whose steady bursts stay out of the way: 100 ms an hour.</summary>
    private static void QuietAuto(ProfilingOptions o)
    {
        o.Mode = ProfilingMode.Auto;
        o.CpuSampler = CpuSamplerKind.EventPipe;
        o.BurstDuration = TimeSpan.FromMilliseconds(100);
        o.BurstPeriod = TimeSpan.FromHours(1);
    }

    [Fact]
    public async Task Two_concurrent_debug_requests_share_one_window_that_closes_after_them()
    {
        await using var host = await ProfiledHost.StartAsync(QuietAuto);
        await WaitForClosedSessionAsync();
        var before = EventPipeSampler.Shared.SessionsStarted;

        var work = Workload.OnThread(() => Workload.SpinAlpha(TimeSpan.FromSeconds(5)));
        var first = host.Client.GetAsync("/debug/pprof/profile?seconds=3&type=cpu");
        var second = host.Client.GetAsync("/debug/pprof/profile?seconds=2&type=cpu");
        using var a = await first;
        using var b = await second;
        await work;

        foreach (var response in new[] { a, b })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var profile = PprofProfile.Parse(await response.Content.ReadAsByteArrayAsync());
            Assert.Contains(profile.Samples, s => s.Stack.Contains("Observability.Profiling.Tests.Workload.SpinAlpha"));
        }
        Assert.Equal(1, EventPipeSampler.Shared.SessionsStarted - before);
        await WaitForClosedSessionAsync();
    }

    [Fact]
    public async Task A_request_of_a_load_test_turns_dense_sampling_on_until_shortly_after_the_last_one()
    {
        await using var host = await ProfiledHost.StartAsync(QuietAuto);
        await WaitForClosedSessionAsync();

        using (var request = ProfiledHost.Source.StartActivity("GET /checkout", ActivityKind.Server)!)
        {
            request.SetCustomProperty(LoadTestLabels.ActivityPropertyName, new LoadTestLabels("smoke-1", "default"));
        }
        var lastTestRequest = Stopwatch.StartNew();
        await Eventually.HoldsAsync(() => EventPipeSampler.Shared.SessionOpen, TimeSpan.FromSeconds(20), "a session opened for the load test");
        // The test runner sets the variable: during a test the session stays open (no bursts) until the linger ends.
        Assert.True(EventPipeSampler.RateVariableSet);
        await WaitForClosedSessionAsync();
        Assert.True(lastTestRequest.Elapsed >= ScheduleSettings.LoadTestLinger - TimeSpan.FromSeconds(1),
            $"the session closed {lastTestRequest.Elapsed.TotalSeconds:0.0} s after the last test request");
    }

    [Fact]
    public async Task A_request_without_a_test_id_does_not_open_a_session()
    {
        await using var host = await ProfiledHost.StartAsync(QuietAuto);
        await WaitForClosedSessionAsync();
        var before = EventPipeSampler.Shared.SessionsStarted;
        using (var request = ProfiledHost.Source.StartActivity("GET /", ActivityKind.Server)!)
        {
            request.SetCustomProperty(LoadTestLabels.ActivityPropertyName, new LoadTestLabels(TelemetryNames.NoValue, TelemetryNames.NoValue));
        }
        // The scheduler would open the session within milliseconds; a marker request proves it looked.
        using var ping = await host.Client.GetAsync("/debug/pprof/profile?seconds=1&type=request");
        Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
        Assert.Equal(before, EventPipeSampler.Shared.SessionsStarted);
    }

    [Fact]
    public async Task Many_bursts_under_load_start_and_stop_without_a_hang()
    {
        // Knobs for measuring by hand (bench/RESULTS.md): cycles, no load, no rundown.
        var cycles = int.TryParse(Environment.GetEnvironmentVariable("PROFILER_BURST_CYCLES"), out var n) ? n : 40;
        var withLoad = Environment.GetEnvironmentVariable("PROFILER_BURST_LOAD") != "0";
        // A control of its own, so its rundown choice and its counts are this test's alone.
        using var control = new EventPipeSessionControl(new EventPipeSessionSettings
        {
            RundownOverride = Environment.GetEnvironmentVariable("PROFILER_BURST_RUNDOWN") switch { "1" => true, "0" => false, _ => null },
        });
        await using var host = await StartWithControlAsync(control, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250));
        using var stop = new CancellationTokenSource();
        // CPU and allocation load on two threads while sessions open and close.
        var load = !withLoad ? Array.Empty<Task>() : new[]
        {
            Workload.OnThread(() => Workload.SpinMarker(stop.Token)),
            Workload.OnThread(() =>
            {
                var keep = new List<byte[]>();
                while (!stop.IsCancellationRequested)
                {
                    keep.Add(new byte[1024]);
                    if (keep.Count > 10_000) keep.Clear();
                }
            }),
        };
        var before = control.SessionsStarted;
        var timingsBefore = control.Timings.Snapshot();
        var samplesBefore = control.SamplesSeen;
        var heapBefore = HeapAfterFullCollection();
        var clock = Stopwatch.StartNew();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        try
        {
            await Eventually.HoldsAsync(
                () =>
                {
                    Assert.True(control.State == SamplerState.Running, control.Reason);
                    return control.SessionsStarted - before >= cycles;
                },
                TimeSpan.FromSeconds(cycles * 2 + 30),
                $"{cycles} bursts",
                () => $"{control.SessionsStarted - before} bursts, {control.State} {control.Reason}",
                TimeSpan.FromMilliseconds(50));
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(load);
        }
        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var rundowns = control.Rundowns;
        await host.DisposeAsync();
        await WaitForClosedSessionAsync(control);
        // The window closes before Stop() returns: wait for the last stop's timing.
        await Eventually.HoldsAsync(() => control.Timings.Snapshot() is var s && s.Stops == s.Starts, TimeSpan.FromSeconds(30), "the last stop");
        var heapAfter = HeapAfterFullCollection();

        var t = control.Timings.Snapshot();
        var starts = t.Starts - timingsBefore.Starts;
        var stops = t.Stops - timingsBefore.Stops;
        _output.WriteLine(
            $"{starts} starts in {elapsed.TotalSeconds:0.0} s (process CPU {cpu.TotalSeconds:0.00} s, load {withLoad}, {rundowns} with rundown): start mean {(t.StartTotal - timingsBefore.StartTotal).TotalMilliseconds / starts:0} ms " +
            $"(max {t.StartMax.TotalMilliseconds:0}), stop mean {(t.StopTotal - timingsBefore.StopTotal).TotalMilliseconds / Math.Max(1, stops):0} ms " +
            $"(max {t.StopMax.TotalMilliseconds:0}); samples {control.SamplesSeen - samplesBefore}; managed heap {heapBefore / 1048576.0:0.0} -> {heapAfter / 1048576.0:0.0} MiB");
        Assert.Equal(SamplerState.Running, control.State);
        Assert.True(stops >= cycles, $"only {stops} stops completed");
        Assert.True(control.SamplesSeen - samplesBefore >= cycles, "bursts delivered almost no samples");
        // Each burst's TraceLog is released: the heap does not keep what the sessions interned.
        Assert.True(heapAfter - heapBefore < 32L << 20, $"managed heap grew from {heapBefore >> 20} to {heapAfter >> 20} MiB");
    }

    [Fact]
    public async Task A_stop_that_hangs_fails_the_sampler_once_says_why_and_the_app_keeps_serving()
    {
        using var release = new ManualResetEventSlim();
        // The host gets a control of its own: its failure is final, and the shared one stays as it was.
        using var control = new EventPipeSessionControl(new EventPipeSessionSettings
        {
            StopTimeout = TimeSpan.FromMilliseconds(500),
            BeforeStop = () => release.Wait(TimeSpan.FromMinutes(2)),
        });
        try
        {
            await using var host = await StartWithControlAsync(control, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1));
            await Eventually.HoldsAsync(() => control.State == SamplerState.Failed, TimeSpan.FromSeconds(30), "the watchdog failing the sampler",
                () => $"{control.State}, {control.SessionsStarted} sessions");

            Assert.Contains("did not return within 0.5 s", control.Reason);
            Assert.False(control.SessionOpen);
            using var profile = await host.Client.GetAsync("/debug/pprof/profile?seconds=1&type=cpu");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, profile.StatusCode);
            Assert.Contains("did not return within", await profile.Content.ReadAsStringAsync());
            using var ping = await host.Client.GetAsync("/ping");
            Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
            using var request = await host.Client.GetAsync("/debug/pprof/profile?seconds=1&type=request");
            Assert.Equal(HttpStatusCode.OK, request.StatusCode);
            var dropped = host.App.Services.GetRequiredService<ProfilerMetrics>().Dropped;
            Assert.Equal(1, dropped.WithLabels("cpu", "sampler_failed").Value);
        }
        finally
        {
            release.Set();
        }
    }

    [Fact]
    public async Task A_reader_waiting_for_the_runtimes_lock_during_a_stop_is_cut_loose_and_the_lock_is_free_again()
    {
        // What the soak found: the reader created an EventSource (a first use of ConcurrentDictionary.Count) while a
        // stop was writing the session's last events to the stream, holding the runtime's EventPipe lock; the reader
        // waited for the lock, the stop for the reader. Here the reader stops draining at its first sample (the stream
        // fills), and once the stop is under way it creates an EventSource.
        using var stopping = new ManualResetEventSlim();
        var hooked = 0;
        using var control = new EventPipeSessionControl(new EventPipeSessionSettings
        {
            StopTimeout = TimeSpan.FromSeconds(2),
            BeforeStop = stopping.Set,
            OnSample = () =>
            {
                if (Interlocked.Exchange(ref hooked, 1) != 0) return;
                stopping.Wait(TimeSpan.FromSeconds(30));
                // No signal says the runtime has taken its lock inside Stop(): give the stop a moment to get there.
                Thread.Sleep(500);
                using var late = new EventSource("Observability-Tests-ReaderDuringStop");
            },
        });
        try
        {
            await using var host = await StartWithControlAsync(control, null, TimeSpan.FromHours(1));
            // A debug window opens the session; the reader is held from its first sample on, so the stream fills.
            using var capture = host.Client.GetAsync("/debug/pprof/profile?seconds=3&type=cpu");
            await Eventually.HoldsAsync(() => control.State == SamplerState.Failed, TimeSpan.FromSeconds(60), "the watchdog failing the sampler",
                () => $"{control.State}, hooked {hooked}, {control.SessionsStarted} sessions");

            // The runtime's lock is free: creating an EventSource returns (without the abandon it waited forever).
            var created = Task.Factory.StartNew(() => { using var after = new EventSource("Observability-Tests-AfterStop"); }, TaskCreationOptions.LongRunning);
            var done = await Task.WhenAny(created, Task.Delay(TimeSpan.FromSeconds(20)));
            Assert.True(done == created, "creating an EventSource still waits for the EventPipe lock");
            Assert.Equal(1, hooked);
            using var ping = await host.Client.GetAsync("/ping");
            Assert.Equal(HttpStatusCode.OK, ping.StatusCode);
            await capture;
        }
        finally
        {
            stopping.Set();
        }
    }

    private static long HeapAfterFullCollection()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetGCMemoryInfo(GCKind.FullBlocking).HeapSizeBytes;
    }

    /// <summary>
    /// A host whose EventPipe sessions are <paramref name="control"/>'s, bursting as given. These tests are about EventPipe
    /// sessions: they take the CPU samples too.
    /// </summary>
    private static Task<ProfiledHost> StartWithControlAsync(EventPipeSessionControl control, TimeSpan? burst, TimeSpan period) =>
        ProfiledHost.StartAsync(
            o =>
            {
                o.Mode = ProfilingMode.Auto;
                o.CpuSampler = CpuSamplerKind.EventPipe;
                if (burst is { } duration) o.BurstDuration = duration;
                o.BurstPeriod = period;
            },
            services: s => s.AddSingleton(control));

    private static Task WaitForClosedSessionAsync(EventPipeSessionControl? control = null)
    {
        var c = control ?? EventPipeSampler.Shared;
        return Eventually.HoldsAsync(() => !c.SessionOpen, TimeSpan.FromSeconds(40), "the session closed",
            () => $"{c.State} {c.Reason}", TimeSpan.FromMilliseconds(50));
    }
}
