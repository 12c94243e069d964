using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Perf;
using TestSupport.Pprof;
using Observability.Profiling.Implementation.Profiles;
using TestSupport;

namespace Observability.Profiling.Tests.Perf;

/// <summary>The perf-events CPU sampler for real on this kernel, and its fallback when the kernel refuses.</summary>
[Collection(EventPipeCollection.Name)]
public sealed class PerfSamplerTests
{
    private const string Alpha = "Observability.Profiling.Tests.Workload.SpinAlpha";

    [Theory]
    [InlineData(CpuSamplerKind.Perf)]
    [InlineData(CpuSamplerKind.PerfCpuWide)]
    public async Task Perf_events_take_the_cpu_samples_the_metric_says_so_and_the_samplers_own_thread_is_left_out_and_counted(CpuSamplerKind kind)
    {
        var logs = new LogRecorder();
        await using var host = await ProfiledHost.StartAsync(o => o.CpuSampler = kind, services: s => s.AddLogging(l => l.AddProvider(logs)));
        if (kind == CpuSamplerKind.PerfCpuWide && !MayObserveTheMachine())
        {
            // Unprivileged (paranoid above 0, no CAP_PERFMON): refused, said so, and EventPipe takes the CPU samples.
            Assert.Null(PerfCpuSampling.Current);
            Assert.Contains(logs.Lines, l => l.Level == LogLevel.Error && l.Message.Contains("CAP_PERFMON", StringComparison.Ordinal));
            Assert.Equal(1, host.Hub.Metrics.SamplerInfo.WithLabels("eventpipe").Value);
            return;
        }
        await host.WaitForCpuSamplerAsync(CpuSamplerKind.Perf);
        Assert.Equal(kind == CpuSamplerKind.PerfCpuWide, PerfCpuSampling.Current!.Settings.CpuWide);
        Assert.Equal(1, host.Hub.Metrics.SamplerInfo.WithLabels("perf").Value);
        Assert.Equal(0, host.Hub.Metrics.SamplerInfo.WithLabels("eventpipe").Value);
        var profilerBefore = host.Hub.Metrics.ProfilerCpu.Value;

        // The hot thread's own CPU time (schedstat) is what its samples must add up to: a sample is 10 ms of it.
        var capture = host.Hub.BeginCapture(ProfileKind.Cpu);
        var lostBefore = PerfCpuSampling.Current!.Lost;
        long threadCpu = 0;
        try
        {
            await Workload.OnThread(() =>
            {
                var tid = Implementation.Spans.OsThread.CurrentId;
                // A new thread is sampled from the sampler's next look at the process's threads on.
                SpinWait.SpinUntil(() => PerfCpuSampling.Current!.IsAttached(tid), TimeSpan.FromSeconds(5));
                var before = Implementation.Sampling.ThreadCpuClock.ReadOne(tid) ?? 0;
                Workload.SpinAlpha(TimeSpan.FromSeconds(2));
                threadCpu = (Implementation.Sampling.ThreadCpuClock.ReadOne(tid) ?? 0) - before;
            });
            await PerfCpuSampling.Current!.FlushAsync(TimeSpan.FromSeconds(3), CancellationToken.None);
        }
        finally
        {
            host.Hub.EndCapture(capture);
        }
        var alpha = capture.Snapshot().Where(kv => kv.Key.Frames.Contains(Alpha)).Sum(kv => kv.Value);
        Assert.True(threadCpu >= 300_000_000L, $"the hot thread ran only {threadCpu / 1e6:0} ms of CPU: the machine is too busy to tell");
        // A sample the kernel could not write (its ring full while the reader waited for a CPU) is counted, not
        // guessed: each one widens the lower bound by its 10 ms, and only that. Samples that vanish uncounted fail.
        var lost = PerfCpuSampling.Current!.Lost - lostBefore;
        var tolerance = 0.15 * threadCpu + 20_000_000L;
        Assert.True(alpha <= threadCpu + tolerance && alpha >= threadCpu - tolerance - lost * PerfCpuSampling.Current.PeriodNanos,
            $"SpinAlpha's samples add up to {alpha / 1e6:0} ms, its thread used {threadCpu / 1e6:0} ms of CPU ({lost} samples lost meanwhile)");
        var own = capture.Snapshot().FirstOrDefault(kv => kv.Key.Frames.Any(f => f.StartsWith("Observability.Profiling.Implementation.Perf.", StringComparison.Ordinal)));
        Assert.True(own.Key.Frames is null, $"the sampler's own frames in the profile: {string.Join(" > ", own.Key.Frames ?? [])}");
        await Eventually.HoldsAsync(() => host.Hub.Metrics.ProfilerCpu.Value > profilerBefore, TimeSpan.FromSeconds(5), "the sampler's CPU time counted");
    }

    /// <summary>CPU-wide events: CAP_PERFMON or CAP_SYS_ADMIN in the effective set, or kernel.perf_event_paranoid at 0 or below.</summary>
    private static bool MayObserveTheMachine()
    {
        var effective = File.ReadLines("/proc/self/status").First(l => l.StartsWith("CapEff:", StringComparison.Ordinal))["CapEff:".Length..].Trim();
        var caps = Convert.ToUInt64(effective, 16);
        const int CapSysAdmin = 21, CapPerfmon = 38;
        return (caps & (1UL << CapPerfmon)) != 0 || (caps & (1UL << CapSysAdmin)) != 0 || PerfRefusal.ReadParanoid() is <= 0;
    }

    [Fact]
    public async Task A_root_span_with_cpu_samples_gets_the_profile_id_and_an_idle_one_does_not()
    {
        await using var host = await ProfiledHost.StartAsync(o => o.CpuSampler = CpuSamplerKind.Perf);
        await host.WaitForCpuSamplerAsync(CpuSamplerKind.Perf);
        Activity? busy = null, idle = null;
        await Workload.OnThread(() =>
        {
            // A new thread is sampled from the sampler's next look at the process's threads on: the span starts then.
            var tid = Implementation.Spans.OsThread.CurrentId;
            Assert.True(SpinWait.SpinUntil(() => PerfCpuSampling.Current!.IsAttached(tid), TimeSpan.FromSeconds(5)), "the thread attached");
            using var span = ProfiledHost.Source.StartActivity("busy", ActivityKind.Server)!;
            busy = span;
            Workload.SpinAlpha(TimeSpan.FromMilliseconds(300));
        });
        await Workload.OnThread(() =>
        {
            using var span = ProfiledHost.Source.StartActivity("idle", ActivityKind.Server)!;
            idle = span;
            Workload.SleepBlocked(TimeSpan.FromMilliseconds(300));
        });
        // Set when the span ends, from samples the sampler had not drained yet.
        Assert.Equal(busy!.SpanId.ToHexString(), busy.GetTagItem("pyroscope.profile.id"));
        Assert.Null(idle!.GetTagItem("pyroscope.profile.id"));
    }

    [Fact]
    public async Task A_kernel_that_refuses_perf_events_leaves_cpu_profiles_to_eventpipe_and_says_why_once()
    {
        var logs = new LogRecorder();
        PerfOpener refuse = (PerfSettings _, int _, out PerfFailure? failure) =>
        {
            failure = new PerfFailure(PerfStep.Open, PerfNative.EACCES);
            return null;
        };
        await using var host = await ProfiledHost.StartAsync(
            o => o.CpuSampler = CpuSamplerKind.Auto,
            services: s =>
            {
                s.AddSingleton(refuse);
                s.AddLogging(l => l.AddProvider(logs));
            },
            rundown: true);
        await host.WaitForSamplerAsync();

        Assert.Null(PerfCpuSampling.Current);
        Assert.Equal(1, host.Hub.Metrics.SamplerInfo.WithLabels("eventpipe").Value);
        Assert.Equal(0, host.Hub.Metrics.SamplerInfo.WithLabels("perf").Value);
        var said = logs.Lines.Where(l => l.Message.Contains("perf", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(said);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains("EventPipe", line.Message);
        Assert.Contains("CAP_PERFMON", line.Message);

        var work = Workload.OnThread(() => Workload.SpinAlpha(TimeSpan.FromSeconds(3)));
        using var response = await host.Client.GetAsync("/debug/pprof/profile?seconds=2&type=cpu");
        await work;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var profile = PprofProfile.Parse(await response.Content.ReadAsByteArrayAsync());
        Assert.Contains(profile.Samples, s => s.Stack.Contains(Alpha));
    }

    [Fact]
    public async Task Rings_that_cannot_be_mapped_are_tried_smaller_until_one_fits()
    {
        var tried = new List<PerfSettings>();
        PerfOpener tight = (PerfSettings settings, int holder, out PerfFailure? failure) =>
        {
            lock (tried) tried.Add(settings);
            if (settings.StackBytes > 0)
            {
                failure = new PerfFailure(PerfStep.Mmap, PerfNative.EPERM);
                return null;
            }
            return PerfEventSet.Open(settings, holder, out failure);
        };
        await using var host = await ProfiledHost.StartAsync(o => o.CpuSampler = CpuSamplerKind.Perf, services: s => s.AddSingleton(tight));
        await host.WaitForCpuSamplerAsync(CpuSamplerKind.Perf);

        Assert.Equal(PerfCpuSampling.Ladder, tried);
        Assert.Equal(0u, PerfCpuSampling.Current!.Settings.StackBytes);
        var capture = host.Hub.BeginCapture(ProfileKind.Cpu);
        try
        {
            await Workload.OnThread(() => Workload.SpinAlpha(TimeSpan.FromSeconds(1)));
            await PerfCpuSampling.Current.FlushAsync(TimeSpan.FromSeconds(3), CancellationToken.None);
        }
        finally
        {
            host.Hub.EndCapture(capture);
        }
        Assert.Contains(capture.Snapshot(), kv => kv.Key.Frames.Contains(Alpha));
    }

    [Theory]
    [InlineData("open", PerfNative.EACCES, 3, "only CAP_SYS_ADMIN passes")]
    [InlineData("open", PerfNative.EPERM, 2, "seccomp")]
    [InlineData("open", PerfNative.ENOSYS, 2, "does not exist here")]
    [InlineData("open", PerfNative.EMFILE, 2, "open-files limit")]
    [InlineData("mmap", PerfNative.EPERM, 2, "memlock")]
    [InlineData("open", PerfNative.EINVAL, 2, "EINVAL")]
    public void Each_refusal_says_what_it_means_and_what_to_do(string step, int errno, int paranoid, string expected)
    {
        var text = PerfRefusal.Describe(new PerfFailure(step == "mmap" ? PerfStep.Mmap : PerfStep.Open, errno), paranoid);
        Assert.Contains(expected, text);
    }
}
