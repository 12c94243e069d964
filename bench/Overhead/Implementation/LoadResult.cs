namespace Overhead.Implementation;

/// <summary>One measured load run against one variant: what the client saw and what the server process used.</summary>
internal sealed record LoadResult(
    string Variant,
    string Endpoint,
    string Mode,
    int Repetition,
    long Requests,
    double Seconds,
    long Errors,
    double P50Us,
    double P99Us,
    double CpuSeconds,
    double RssMiB,
    double RunnerCpuSeconds = 0)
{
    public double Throughput => Requests / Seconds;

    /// <summary>Server CPU time per request, in microseconds.</summary>
    public double CpuUsPerRequest => Requests == 0 ? double.NaN : CpuSeconds * 1e6 / Requests;

    /// <summary>Average CPU use of the runner during the run (the telemetry sink, the scraper), in cores.</summary>
    public double RunnerCores => RunnerCpuSeconds / Seconds;

    /// <summary>Average server CPU use during the run, in cores.</summary>
    public double Cores => CpuSeconds / Seconds;
}
