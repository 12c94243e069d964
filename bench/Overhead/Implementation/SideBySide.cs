using System.Diagnostics;

namespace Overhead.Implementation;

/// <summary>
/// The side-by-side comparison: for each endpoint, interleaved saturation runs (plain, full, full, plain, …) with
/// wrk, then open-loop runs at half of the plain variant's saturation throughput (capped, see OpenLoopMaxRate).
/// </summary>
internal sealed class SideBySide(BenchOptions options, BenchEnvironment environment, string luaScript)
{
    private static readonly string[] Variants = ["plain", "full"];

    public async Task<Report> RunAsync(Report report)
    {
        // The list needs a token and must answer 2xx; the empty request goes without one and is expected to answer 404.
        var endpoints = new (string Path, bool Auth)[] { (options.ArticlesPath, true), (options.EmptyPath, false) };
        var summaries = new List<SaturationSummary>();
        var p99Deltas = new Dictionary<string, (double Delta, double Rate, bool Capped)>();
        foreach (var (path, auth) in endpoints)
        {
            var saturation = await SaturationAsync(path, auth);
            var summary = report.Saturation(path, saturation);
            summaries.Add(summary);
            if (!options.SkipOpenLoop)
            {
                var rate = Math.Min(options.OpenLoopMaxRate, Math.Round(summary.PlainThroughput / 2));
                var open = await OpenLoopAsync(path, auth, rate);
                p99Deltas[path] = (report.HalfSaturation(path, rate, open), rate, rate < Math.Round(summary.PlainThroughput / 2));
            }
        }

        environment.ResumeBoth();
        await new KitActivity(environment).WriteAsync(report);
        Targets(report, summaries, p99Deltas);
        return report;
    }

    private Task<List<LoadResult>> SaturationAsync(string path, bool auth) => InterleavedAsync(async (rep, variant, api) =>
    {
        var url = api.BaseAddress + path;
        var token = auth ? environment.TokenOf(variant) : null;
        Console.Error.WriteLine($"saturation {path} rep {rep} {variant}…");
        await WrkRunner.RunAsync(url, options.Connections, options.WrkThreads, TimeSpan.FromSeconds(options.Warmup), luaScript, token);
        var cpu0 = ProcStats.CpuSeconds(api.Pid);
        var runner0 = Process.GetCurrentProcess().TotalProcessorTime;
        var run = await WrkRunner.RunAsync(url, options.Connections, options.WrkThreads, TimeSpan.FromSeconds(options.Duration), luaScript, token);
        var cpu1 = ProcStats.CpuSeconds(api.Pid);
        var runnerCpu = (Process.GetCurrentProcess().TotalProcessorTime - runner0).TotalSeconds;
        var errors = run.Errors + (auth ? run.Non2xx : run.Requests - run.Non2xx);
        return new LoadResult(variant, path, "wrk", rep, run.Requests, run.Seconds, errors, run.P50Us, run.P99Us,
            cpu1 - cpu0, ProcStats.RssMiB(api.Pid), runnerCpu);
    });

    private Task<List<LoadResult>> OpenLoopAsync(string path, bool auth, double rate) => InterleavedAsync(async (rep, variant, api) =>
    {
        var url = api.BaseAddress + path;
        using var load = new OpenLoopLoad(auth ? environment.TokenOf(variant) : null, "k6.testid=bench-overhead,k6.scenario=open-loop,k6.name=list",
            auth ? 200 : 404);
        Console.Error.WriteLine($"open loop {path} at {rate} req/s rep {rep} {variant}…");
        await load.RunAsync(url, rate, TimeSpan.FromSeconds(Math.Max(2, options.Warmup / 2)));
        var cpu0 = ProcStats.CpuSeconds(api.Pid);
        var clock = Stopwatch.StartNew();
        var run = await load.RunAsync(url, rate, TimeSpan.FromSeconds(options.Duration));
        var cpu1 = ProcStats.CpuSeconds(api.Pid);
        return new LoadResult(variant, path, "open", rep, run.Requests, clock.Elapsed.TotalSeconds, run.Errors, run.P50Us, run.P99Us,
            cpu1 - cpu0, ProcStats.RssMiB(api.Pid));
    });

    // Each rep runs every variant once, the other one paused meanwhile (BenchEnvironment.Activate).
    private async Task<List<LoadResult>> InterleavedAsync(Func<int, string, ApiProcess, Task<LoadResult>> run)
    {
        var results = new List<LoadResult>();
        for (var rep = 1; rep <= options.Reps; rep++)
        {
            // Alternate the order (AB, BA, …) so slow drift of the machine does not favour one variant.
            foreach (var variant in rep % 2 == 1 ? Variants : Variants.Reverse())
            {
                environment.Activate(variant);
                results.Add(await run(rep, variant, environment.Get(variant)));
            }
        }

        return results;
    }

    private static void Targets(Report report, List<SaturationSummary> summaries, Dictionary<string, (double Delta, double Rate, bool Capped)> p99Deltas)
    {
        report.Line("#### Against the targets (DESIGN.md §7)");
        report.Line();
        report.Line("| target | measured | verdict |");
        report.Line("| --- | --- | --- |");
        var articles = summaries[0];
        var empty = summaries[1];
        var lost = (1 - articles.Ratio) * 100;
        report.Line($"| throughput lost on `{articles.Endpoint}` ≤ 3 % | {Report.F(lost, 1)} % (pairs {Report.F((1 - articles.RatioMax) * 100, 1)}–{Report.F((1 - articles.RatioMin) * 100, 1)} %) | {(lost <= 3 ? "met" : "missed")} |");
        report.Line($"| cost per request on `{empty.Endpoint}` ≤ 10 µs | {Report.F(empty.CostUs, 1)} µs from throughput; {Report.F(empty.CpuUsDelta, 1)} µs of server CPU | {(empty.CostUs <= 10 ? "met" : "missed")} |");
        foreach (var (path, (delta, rate, capped)) in p99Deltas)
        {
            var where = capped ? $"at {rate:F0} req/s (capped, below half saturation)" : $"at half saturation ({rate:F0} req/s)";
            report.Line($"| p99 added {where} on `{path}` ≤ 0.5 ms | {Report.Signed(delta / 1000, 3)} ms | {(delta <= 500 ? "met" : "missed")} |");
        }

        report.Line();
    }
}
