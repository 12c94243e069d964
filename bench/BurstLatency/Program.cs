using System.Diagnostics;
using System.Globalization;
using BurstLatency.Implementation;

// bench/burst-latency.sh: see bench/README.md. Variants run one after another, in rotated order each round, each in a
// fresh process: a warm-up at the rate (JIT, the first session's rundown), then the measured window.
var options = ParseArgs(args);
var clock = Stopwatch.StartNew();
using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 1024 }) { Timeout = TimeSpan.FromSeconds(10) };
var rows = new List<(string Variant, int Round, BurstSplit Split)>();
for (var round = 1; round <= options.Rounds; round++)
{
    for (var k = 0; k < options.Variants.Count; k++)
    {
        var (name, env) = options.Variants[(k + round - 1) % options.Variants.Count];
        await using var app = new AppProcess(options.AppDll, 5721, 9721, env, clock);
        await app.WaitReadyAsync();
        var url = new Uri(app.BaseAddress, options.Path);
        await TimedLoad.RunAsync(client, url, options.Rate, TimeSpan.FromSeconds(options.WarmupSeconds), clock);
        var requests = await TimedLoad.RunAsync(client, url, options.Rate, TimeSpan.FromSeconds(options.Seconds), clock);
        var split = new BurstSplit(requests, app.Windows, options.SpillSeconds);
        rows.Add((name, round, split));
        Console.Error.WriteLine($"round {round} {name}: p99 {BurstSplit.Quantile(split.All, 0.99):F2} ms, sampled {split.SampledSeconds:F1} of {split.Seconds:F0} s");
    }
}

// Shares of requests in bursts (a burst, its session's opening and stop, and the spill after it) for the defaults,
// 1 s and 2 s every 5 minutes, and the earlier defaults, 1 s and 4 s every 20 s.
var extra = options.SpillSeconds + 0.05;
double[] duties = [(1 + extra) / 300, (2 + extra) / 300, (1 + extra) / 20, (4 + extra) / 20];
Console.WriteLine($"GET {options.Path} at {options.Rate} req/s (open loop), {options.Rounds} round(s) of {options.Seconds} s per variant after {options.WarmupSeconds} s of warm-up; "
    + $"a request is in a burst if it overlapped a session or started less than {options.SpillSeconds} s after one; {Environment.ProcessorCount} cores.");
Console.WriteLine();
Console.WriteLine("| round | variant | requests (errors) | time sampled | requests in bursts | p99 all ms | p99 outside ms | p99.9 outside ms | p50 / p99 inside ms | inside over outside p99 | "
    + string.Join(" | ", duties.Select(d => $"p99 − outside p99, {100 * d:0.##} % in bursts")) + " |");
Console.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | " + string.Join(" | ", duties.Select(_ => "---:")) + " |");
foreach (var (variant, round, s) in rows)
{
    var outsideP99 = BurstSplit.Quantile(s.Outside, 0.99);
    var mixed = s.Inside.Length == 0 ? duties.Select(_ => "—") : duties.Select(d => $"{s.MixedP99(d) - outsideP99:+0.00;−0.00}");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {round} | {variant} | {s.All.Length} ({s.Errors}) | {100 * s.SampledSeconds / s.Seconds:F1} % | {100.0 * s.Inside.Length / s.All.Length:F1} % | "
        + $"{BurstSplit.Quantile(s.All, 0.99):F2} | {outsideP99:F2} | {BurstSplit.Quantile(s.Outside, 0.999):F2} | "
        + $"{BurstSplit.Quantile(s.Inside, 0.5):F2} / {BurstSplit.Quantile(s.Inside, 0.99):F2} | {100 * s.InsideOverOutsideP99:F1} % | {string.Join(" | ", mixed)} |"));
}
return 0;

static Options ParseArgs(string[] args)
{
    var o = new Options();
    var variants = new List<(string, List<KeyValuePair<string, string>>)>();
    for (var i = 0; i < args.Length; i++)
    {
        string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
        switch (args[i])
        {
            case "--app": o.AppDll = Next(); break;
            case "--path": o.Path = Next(); break;
            case "--rate": o.Rate = double.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--seconds": o.Seconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--warmup": o.WarmupSeconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--rounds": o.Rounds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--spill": o.SpillSeconds = double.Parse(Next(), CultureInfo.InvariantCulture); break;
            case "--variant":
                // name:KEY=VALUE,KEY=VALUE
                var spec = Next();
                var colon = spec.IndexOf(':');
                var name = colon < 0 ? spec : spec[..colon];
                var env = colon < 0 ? [] : spec[(colon + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries)
                    .Select(p => p.Split('=', 2)).Select(p => KeyValuePair.Create(p[0], p.Length > 1 ? p[1] : "")).ToList();
                variants.Add((name, env));
                break;
            default: throw new ArgumentException($"unknown option {args[i]}");
        }
    }
    if (o.AppDll.Length == 0) throw new ArgumentException("--app is required");
    if (variants.Count > 0) o.Variants = variants;
    return o;
}

internal sealed class Options
{
    public string AppDll { get; set; } = "";
    public string Path { get; set; } = "/orders";
    public double Rate { get; set; } = 1500;
    public int Seconds { get; set; } = 60;
    public int WarmupSeconds { get; set; } = 10;
    public int Rounds { get; set; } = 1;
    public double SpillSeconds { get; set; } = 0.5;

    // Dense bursts (20 % and 40 % of the time) so that one run holds thousands of in-burst requests.
    public List<(string Name, List<KeyValuePair<string, string>> Env)> Variants { get; set; } =
    [
        ("off", [new("Observability__Profiling__Mode", "off")]),
        ("1 s every 5 s, no variable", [new("Observability__Profiling__BurstDuration", "00:00:01"), new("Observability__Profiling__BurstPeriod", "00:00:05")]),
        ("4 s every 10 s, variable a", [new("DOTNET_EventPipeThreadSamplingRate", "a"), new("Observability__Profiling__BurstDuration", "00:00:04"), new("Observability__Profiling__BurstPeriod", "00:00:10")]),
    ];
}
