using System.Globalization;
using System.Text;

namespace Overhead.Implementation;

/// <summary>Turns the measured runs into the Markdown section written to bench/RESULTS.md and printed.</summary>
internal sealed class Report
{
    private readonly StringBuilder _text = new();

    public override string ToString() => _text.ToString();

    public void Line(string line = "") => _text.AppendLine(line);

    /// <summary>Saturation table and summary for one endpoint; returns the summary numbers for the targets table.</summary>
    public SaturationSummary Saturation(string endpoint, IReadOnlyList<LoadResult> runs)
    {
        Line($"#### `{endpoint}` at saturation (closed loop, wrk)");
        Line();
        Line("| rep | variant | req/s | p50 ms | p99 ms | errors | server CPU (cores) | CPU µs/req | RSS MiB | sink CPU (cores) |");
        Line("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in runs)
        {
            Line($"| {r.Repetition} | {r.Variant} | {F(r.Throughput, 0)} | {F(r.P50Us / 1000, 3)} | {F(r.P99Us / 1000, 3)} | {r.Errors} | {F(r.Cores, 2)} | {F(r.CpuUsPerRequest, 1)} | {F(r.RssMiB, 0)} | {F(r.RunnerCores, 2)} |");
        }

        var plain = runs.Where(r => r.Variant == "plain").ToList();
        var full = runs.Where(r => r.Variant == "full").ToList();
        var ratios = plain.Zip(full, (p, f) => f.Throughput / p.Throughput).ToList();
        var summary = new SaturationSummary(
            Endpoint: endpoint,
            PlainThroughput: Stats.Median(plain.Select(r => r.Throughput)),
            FullThroughput: Stats.Median(full.Select(r => r.Throughput)),
            Ratio: Stats.Median(ratios),
            RatioMin: ratios.Count == 0 ? double.NaN : ratios.Min(),
            RatioMax: ratios.Count == 0 ? double.NaN : ratios.Max(),
            P50DeltaUs: Stats.Median(full.Select(r => r.P50Us)) - Stats.Median(plain.Select(r => r.P50Us)),
            P99DeltaUs: Stats.Median(full.Select(r => r.P99Us)) - Stats.Median(plain.Select(r => r.P99Us)),
            CpuUsDelta: Stats.Median(full.Select(r => r.CpuUsPerRequest)) - Stats.Median(plain.Select(r => r.CpuUsPerRequest)),
            RssDeltaMiB: Stats.Median(full.Select(r => r.RssMiB)) - Stats.Median(plain.Select(r => r.RssMiB)),
            PlainSpread: Stats.RelativeSpread(plain.Select(r => r.Throughput)),
            FullSpread: Stats.RelativeSpread(full.Select(r => r.Throughput)));
        Line();
        Line($"- throughput full/plain: **{F(summary.Ratio, 3)}** (median of {ratios.Count} interleaved pairs; pairs range {F(summary.RatioMin, 3)}–{F(summary.RatioMax, 3)}), i.e. {F((1 - summary.Ratio) * 100, 1)} % lost");
        Line($"- per-request cost from throughput (1/req/s, whole server): plain {F(1e6 / summary.PlainThroughput, 1)} µs, full {F(1e6 / summary.FullThroughput, 1)} µs, **+{F(summary.CostUs, 1)} µs**");
        Line($"- server CPU per request: {F(summary.CpuUsDelta, 1)} µs more with the kit; p50 {Signed(summary.P50DeltaUs / 1000, 3)} ms, p99 {Signed(summary.P99DeltaUs / 1000, 3)} ms; RSS {Signed(summary.RssDeltaMiB, 0)} MiB");
        Line($"- the sink (stand-in for the collector and Pyroscope, in the runner process, on the same {Environment.ProcessorCount} cores) used {F(Stats.Median(full.Select(r => r.RunnerCores)), 2)} cores during the full runs, {F(Stats.Median(plain.Select(r => r.RunnerCores)), 2)} during the plain ones");
        Line($"- noise: spread (max−min)/median of the repetitions: plain {F(summary.PlainSpread * 100, 1)} %, full {F(summary.FullSpread * 100, 1)} %");
        Line();
        return summary;
    }

    /// <summary>Open-loop table for one endpoint at a fixed rate; returns the p99 delta in microseconds.</summary>
    public double HalfSaturation(string endpoint, double rate, IReadOnlyList<LoadResult> runs)
    {
        Line($"#### `{endpoint}` at a fixed rate (open loop, {F(rate, 0)} req/s)");
        Line();
        Line("| rep | variant | sent | achieved req/s | p50 ms | p99 ms | errors | server CPU (cores) | RSS MiB |");
        Line("| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in runs)
        {
            Line($"| {r.Repetition} | {r.Variant} | {r.Requests} | {F(r.Throughput, 0)} | {F(r.P50Us / 1000, 3)} | {F(r.P99Us / 1000, 3)} | {r.Errors} | {F(r.Cores, 2)} | {F(r.RssMiB, 0)} |");
        }

        var p99Plain = Stats.Median(runs.Where(r => r.Variant == "plain").Select(r => r.P99Us));
        var p99Full = Stats.Median(runs.Where(r => r.Variant == "full").Select(r => r.P99Us));
        var p50Plain = Stats.Median(runs.Where(r => r.Variant == "plain").Select(r => r.P50Us));
        var p50Full = Stats.Median(runs.Where(r => r.Variant == "full").Select(r => r.P50Us));
        Line();
        Line($"- p50 {F(p50Plain / 1000, 3)} → {F(p50Full / 1000, 3)} ms ({Signed((p50Full - p50Plain) / 1000, 3)}); p99 {F(p99Plain / 1000, 3)} → {F(p99Full / 1000, 3)} ms (**{Signed((p99Full - p99Plain) / 1000, 3)} ms**)");
        Line();
        return p99Full - p99Plain;
    }

    public static string F(double value, int decimals) =>
        double.IsNaN(value) ? "n/a" : value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    public static string Signed(double value, int decimals) => (value >= 0 ? "+" : "") + F(value, decimals);
}

/// <summary>The headline numbers of one endpoint at saturation.</summary>
internal sealed record SaturationSummary(
    string Endpoint,
    double PlainThroughput,
    double FullThroughput,
    double Ratio,
    double RatioMin,
    double RatioMax,
    double P50DeltaUs,
    double P99DeltaUs,
    double CpuUsDelta,
    double RssDeltaMiB,
    double PlainSpread,
    double FullSpread)
{
    /// <summary>Time per request added by the kit, derived from the two throughputs.</summary>
    public double CostUs => 1e6 / FullThroughput - 1e6 / PlainThroughput;
}
