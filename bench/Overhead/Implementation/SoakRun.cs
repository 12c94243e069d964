using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Overhead.Implementation;

/// <summary>
/// Soak mode: steady open-loop load on the full variant for a long time, RSS and CPU sampled every 10 s into a
/// CSV. Memory is called flat when, after a 5-minute warm-up, the mean RSS of the last 5 minutes is within the
/// stated bound of the mean of the first 5 minutes.
/// </summary>
internal sealed class SoakRun(BenchOptions options, BenchEnvironment environment, string luaScript)
{
    public const double FlatBoundMiB = 16;
    private static readonly TimeSpan Chunk = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromMinutes(5);

    public async Task RunAsync(Report report, string csvPath)
    {
        var full = environment.Full;
        var url = full.BaseAddress + options.ArticlesPath;
        environment.Activate("full");
        var rate = options.SoakRate;
        if (rate <= 0)
        {
            var probe = await WrkRunner.RunAsync(url, options.Connections, options.WrkThreads, TimeSpan.FromSeconds(10), luaScript, environment.FullToken);
            rate = Math.Round(probe.Requests / probe.Seconds / 3);
        }

        var total = TimeSpan.FromMinutes(options.SoakMinutes);
        // Five minutes of warm-up on a real soak; shorter for a quick check of the harness itself.
        var warmUp = TimeSpan.FromTicks(Math.Min(MaxWarmUp.Ticks, total.Ticks / 6));
        var samples = new List<(double Minutes, double RssMiB, double CpuSeconds, int Threads)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(SampleEvery);
            do
            {
                samples.Add((clock.Elapsed.TotalMinutes, ProcStats.RssMiB(full.Pid), ProcStats.CpuSeconds(full.Pid), ProcStats.Threads(full.Pid)));
            }
            while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false));
        });

        long sent = 0, errors = 0, emptySent = 0, emptyErrors = 0;
        using var load = new OpenLoopLoad(environment.FullToken, "k6.testid=bench-soak,k6.scenario=soak,k6.name=list");
        // Besides the list, a steady stream of cheap requests: many spans, histogram updates and profile samples.
        using var emptyLoad = new OpenLoopLoad(null, "k6.testid=bench-soak,k6.scenario=soak-empty,k6.name=empty", expectedStatus: 404);
        var emptyUrl = full.BaseAddress + options.EmptyPath;
        while (clock.Elapsed < total)
        {
            Console.Error.WriteLine($"soak {clock.Elapsed.TotalMinutes:F1}/{total.TotalMinutes} min at {rate} + {options.SoakEmptyRate} req/s, RSS {ProcStats.RssMiB(full.Pid):F0} MiB");
            var emptyRun = emptyLoad.RunAsync(emptyUrl, options.SoakEmptyRate, Chunk);
            var run = await load.RunAsync(url, rate, Chunk);
            var empty = await emptyRun;
            sent += run.Requests;
            errors += run.Errors;
            emptySent += empty.Requests;
            emptyErrors += empty.Errors;
            if (full.HasExited)
            {
                throw new InvalidOperationException("the full variant exited during the soak");
            }
        }

        await stop.CancelAsync();
        try
        {
            await sampler;
        }
        catch (OperationCanceledException)
        {
        }

        var csv = new StringBuilder("minutes,rss_mib,cpu_seconds,threads\n");
        foreach (var s in samples)
        {
            csv.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{s.Minutes:F2},{s.RssMiB:F1},{s.CpuSeconds:F2},{s.Threads}"));
        }

        await File.WriteAllTextAsync(csvPath, csv.ToString());
        Summarise(report, samples.Select(s => (s.Minutes, s.RssMiB)).ToList(), rate, sent, errors, total, warmUp, csvPath);
        report.Line($"- plus `GET {options.EmptyPath}` at {options.SoakEmptyRate:F0} req/s: {emptySent} sent, {emptyErrors} not answered 404");
        report.Line();
        await new KitActivity(environment).WriteAsync(report);
    }

    private static void Summarise(Report report, List<(double Minutes, double RssMiB)> samples, double rate, long sent, long errors,
        TimeSpan total, TimeSpan warmUp, string csvPath)
    {
        var warm = samples.Where(s => s.Minutes >= warmUp.TotalMinutes).ToList();
        var end = total.TotalMinutes;
        var first = warm.Where(s => s.Minutes < warmUp.TotalMinutes * 2).Select(s => s.RssMiB).DefaultIfEmpty(double.NaN).Average();
        var last = warm.Where(s => s.Minutes >= end - warmUp.TotalMinutes).Select(s => s.RssMiB).DefaultIfEmpty(double.NaN).Average();
        var growth = last - first;
        report.Line($"#### Soak: `full` variant, {total.TotalMinutes:F0} min of `GET` at {rate:F0} req/s (open loop)");
        report.Line();
        report.Line($"- requests sent: {sent}, failed: {errors}; RSS sampled every {SampleEvery.TotalSeconds:F0} s into `{csvPath}`");
        report.Line($"- RSS at start {Report.F(samples.FirstOrDefault().RssMiB, 0)} MiB; after the {warmUp.TotalMinutes:F0}-minute warm-up min {Report.F(warm.Select(s => s.RssMiB).DefaultIfEmpty(double.NaN).Min(), 0)}, max {Report.F(warm.Select(s => s.RssMiB).DefaultIfEmpty(double.NaN).Max(), 0)} MiB");
        report.Line($"- mean RSS minutes {warmUp.TotalMinutes:F0}–{2 * warmUp.TotalMinutes:F0}: {Report.F(first, 1)} MiB; last {warmUp.TotalMinutes:F0} minutes: {Report.F(last, 1)} MiB; growth **{Report.Signed(growth, 1)} MiB** (bound ±{FlatBoundMiB} MiB: {(Math.Abs(growth) <= FlatBoundMiB ? "flat" : "NOT flat")})");
        report.Line();
        report.Line("| minute | RSS MiB |");
        report.Line("| ---: | ---: |");
        foreach (var s in samples.Where((_, i) => i % 30 == 0).Append(samples[^1]).Distinct())
        {
            report.Line($"| {Report.F(s.Minutes, 0)} | {Report.F(s.RssMiB, 0)} |");
        }

        report.Line();
    }
}
