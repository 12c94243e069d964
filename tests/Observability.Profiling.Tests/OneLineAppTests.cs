using System.Diagnostics;
using System.Globalization;
using System.Net;
using TestSupport.Pprof;
using TestSupport;

namespace Observability.Profiling.Tests;

/// <summary>
/// The one-line app (tests/OneLineApp: <c>builder.AddObservability()</c> and nothing else) started as its own process
/// WITHOUT <c>DOTNET_EventPipeThreadSamplingRate</c>, as a new user would: its CPU profile must answer anyway.
/// </summary>
[Collection(EventPipeCollection.Name)]
public class OneLineAppTests
{
    [Theory]
    [InlineData("auto", 10_000_000)] // perf events, 100 Hz of each thread's CPU time
    [InlineData("eventpipe", 1_000_000)] // the runtime's own 1 ms rate: the variable really was absent
    public async Task Without_the_variable_the_cpu_profile_answers_shows_the_hot_method_on_top_and_agrees_with_the_process_cpu_time(string sampler, long period)
    {
        var publicPort = FreePort.Tcp();
        var managementPort = FreePort.Tcp();
        var info = new ProcessStartInfo(DotnetHost(), Path.Combine(AppContext.BaseDirectory, "OneLineApp.dll"))
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // The test runner starts this process with the variable (profiling.runsettings): the child must not inherit it.
        info.Environment.Remove(ProfilingOptions.SamplingRateVariable);
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{publicPort.ToString(CultureInfo.InvariantCulture)}";
        info.Environment["Observability__Management__Port"] = managementPort.ToString(CultureInfo.InvariantCulture);
        info.Environment["Observability__Management__Address"] = "127.0.0.1";
        info.Environment["OTEL_SERVICE_NAME"] = "one-line-app";
        info.Environment["Observability__Profiling__CpuSampler"] = sampler;
        using var process = new Process { StartInfo = info };
        var output = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var app = new Uri($"http://127.0.0.1:{publicPort}/");
        var management = new Uri($"http://127.0.0.1:{managementPort}/");
        using var stopLoad = new CancellationTokenSource();
        var load = Task.CompletedTask;
        try
        {
            await Eventually.HoldsAsync(
                async () =>
                {
                    if (process.HasExited) throw new InvalidOperationException($"the app exited with {process.ExitCode}:\n{Output()}");
                    try
                    {
                        using var metrics = await http.GetAsync(new Uri(management, "metrics"));
                        using var root = await http.GetAsync(app);
                        return metrics.IsSuccessStatusCode && root.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                TimeSpan.FromMinutes(2), "the one-line app listening", () => Output());

            // Two clients keep the hot method busy for the whole capture.
            var served = 0;
            load = Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                while (!stopLoad.IsCancellationRequested)
                {
                    try
                    {
                        using var r = await http.GetAsync(new Uri(app, "work?ms=20"), stopLoad.Token);
                        Interlocked.Increment(ref served);
                    }
                    catch (OperationCanceledException)
                    {
                    }
                }
            })));
            // Warm-up (about 3 s of load): on a loaded machine a cold app spends its first seconds in the JIT, which
            // then outweighs the hot method in a CPU profile that counts measured CPU time.
            await Eventually.HoldsAsync(() => Volatile.Read(ref served) >= 300 || process.HasExited, TimeSpan.FromMinutes(2), "300 warm-up requests served");
            using var response = await http.GetAsync(new Uri(management, "debug/pprof/profile?seconds=5&type=cpu"));
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}\n{Output()}");

            var profile = PprofProfile.Parse(body);
            Assert.Equal(period, profile.Period);
            var top = await GoPprof.TopAsync(body);
            Assert.Contains("Type: cpu", top);
            var firstRow = top.Split('\n').SkipWhile(l => !l.TrimStart().StartsWith("flat", StringComparison.Ordinal)).Skip(1).First();
            Assert.True(firstRow.Contains("HotPath.Spin", StringComparison.Ordinal), top);

            // Warmed up now (the first capture tiered up the app and the profiler): a second window under the same
            // steady load, measured against the process's own CPU time from /proc.
            var cpuBefore = ProcessCpuSeconds(process.Id);
            var profilerBefore = await ProfilerCpuSecondsAsync(http, management);
            var lostBefore = await LostCpuSamplesAsync(http, management);
            var wall = Stopwatch.StartNew();
            using var second = await http.GetAsync(new Uri(management, "debug/pprof/profile?seconds=5&type=cpu"));
            wall.Stop();
            var cpuAfter = ProcessCpuSeconds(process.Id);
            var profilerAfter = await ProfilerCpuSecondsAsync(http, management);
            var lost = await LostCpuSamplesAsync(http, management) - lostBefore;
            Assert.Equal(HttpStatusCode.OK, second.StatusCode);
            var measured = PprofProfile.Parse(await second.Content.ReadAsByteArrayAsync());
            var profileCores = measured.Samples.Sum(s => s.Values[0]) / (double)measured.DurationNanos;
            // The profiler's own threads are left out of the profile and counted apart: the application's share is the rest.
            Assert.True(profilerAfter > profilerBefore, $"the profiler's own CPU time was not counted ({profilerBefore} -> {profilerAfter} s)");
            var appCores = (cpuAfter - cpuBefore - (profilerAfter - profilerBefore)) / wall.Elapsed.TotalSeconds;
            // Samples the kernel could not write (a ring full while the sampler waited for a CPU) are counted, not
            // guessed: each widens the lower bound by its period, and only that.
            var lostCores = lost * period / (double)measured.DurationNanos;
            Assert.True(
                profileCores <= appCores * 1.10 && profileCores >= appCores * 0.90 - lostCores,
                $"CPU profile {profileCores:0.000} cores over {measured.DurationNanos / 1e9:0.00} s; process {appCores:0.000} cores from /proc " +
                $"({cpuAfter - cpuBefore:0.00} s in {wall.Elapsed.TotalSeconds:0.00} s, profiler {profilerAfter - profilerBefore:0.00} s, {lost} samples lost)");
            // The session reader (TraceEvent's parser and the sampler's handler) runs on the profiler's thread only.
            var own = measured.Samples.FirstOrDefault(s => s.Stack.Any(f =>
                f.StartsWith("Microsoft.Diagnostics.Tracing.", StringComparison.Ordinal) ||
                f.StartsWith("Observability.Profiling.Implementation.Sampling.", StringComparison.Ordinal) ||
                f.StartsWith("Observability.Profiling.Implementation.Perf.", StringComparison.Ordinal)));
            Assert.True(own is null, $"a profiler frame in the application's profile: {string.Join(" > ", own?.Stack ?? [])}");
        }
        finally
        {
            stopLoad.Cancel();
            await load;
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        string Output()
        {
            lock (output) return output.Length > 8000 ? output.ToString()[^8000..] : output.ToString();
        }
    }

    /// <summary>User and system CPU time of a process, from <c>/proc/PID/stat</c> (fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static double ProcessCpuSeconds(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }

    private static async Task<double> ProfilerCpuSecondsAsync(HttpClient http, Uri management)
    {
        var text = await http.GetStringAsync(new Uri(management, "metrics"));
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("observability_profiler_cpu_seconds_total ", StringComparison.Ordinal));
        return line is null ? 0 : double.Parse(line[(line.IndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
    }

    /// <summary>CPU samples the kernel reported lost (perf events' full rings), from the app's own counter.</summary>
    private static async Task<double> LostCpuSamplesAsync(HttpClient http, Uri management)
    {
        var text = await http.GetStringAsync(new Uri(management, "metrics"));
        return text.Split('\n')
            .Where(l => l.StartsWith("observability_profiles_dropped_total{", StringComparison.Ordinal)
                        && l.Contains("type=\"cpu\"", StringComparison.Ordinal) && l.Contains("reason=\"lost\"", StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    private static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
