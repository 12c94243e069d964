using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Observability.Benchmarks;

/// <summary>
/// One request through the real ASP.NET Core pipeline (<see cref="BenchApp"/>), with and without
/// <c>AddObservability()</c>, for three kinds of baggage: none, what k6 sends, and a hostile 8 KB header. The
/// difference between <c>plain</c> and <c>kit</c> is the kit's per-request cost: server span, k6 baggage parsing and label bounding, request histogram with exemplar, request-time profile.
/// Spans are recorded but not exported (export runs on a background thread, off the request path).
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class RequestPipelineBenchmarks
{
    private BenchApp? _app;
    private string? _baggage;

    [Params("plain", "kit")]
    public string Variant { get; set; } = "plain";

    [Params("none", "k6", "hostile-8KB")]
    public string Baggage { get; set; } = "none";

    [GlobalSetup]
    public void Setup()
    {
        _app = BenchApp.Start(withKit: Variant == "kit");
        _baggage = Baggage switch
        {
            "k6" => "k6.testid=bench-run-1,k6.scenario=list,k6.name=GET%20items",
            "hostile-8KB" => "k6.testid=%ZZ" + string.Concat(Enumerable.Range(0, 700).Select(i => $",k6.x{i}=v")),
            _ => null,
        };
    }

    [Benchmark]
    public async Task<int> Request()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/items/42");
        if (_baggage is not null)
        {
            request.Headers.TryAddWithoutValidation("baggage", _baggage);
        }

        using var response = await _app!.Client.SendAsync(request);
        return (int)response.StatusCode;
    }

    [GlobalCleanup]
    public void Cleanup() => _app?.Dispose();

    /// <summary>In-process: no generated project to build (the repository's build settings stay in charge).</summary>
    internal sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() =>
            AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(12));
    }
}
