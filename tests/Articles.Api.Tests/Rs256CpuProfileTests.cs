using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TestSupport.Pprof;
using TestSupport;

namespace Articles.Api.Tests;

/// <summary>
/// The sample service's RS256 path under the perf sampler, for real: CPU samples taken inside OpenSSL (built without
/// frame pointers, so the kernel's own walk stops at the leaf) must still show the JWT handler and the request above it.
/// </summary>
[Collection(Infrastructure.AloneCollection.Name)]
public sealed class Rs256CpuProfileTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const string JwtHandler = "Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler.";
    private const string RequestLoop = "Microsoft.AspNetCore.Server.Kestrel.Core.Internal.Http.HttpProtocol+<ProcessRequests>";

    [Theory]
    [InlineData("perf")]
    // One event per CPU for every process: root in CI (CAP_PERFMON elsewhere); the same stacks, the same repair.
    [InlineData("perf-cpu-wide")]
    public async Task Cpu_samples_inside_libcrypto_during_rs256_checks_reach_the_jwt_handler_and_the_request(string sampler)
    {
        await using var postgres = await PostgresServer.StartAsync();
        var db = await postgres.CreateDatabaseAsync();
        var log = Path.Combine(Path.GetTempPath(), $"rs256-profile-{Guid.NewGuid():N}.log");
        await using var api = await ArticlesApiProcess.StartAsync(db, log, new Dictionary<string, string>(
            new SeedSize(Users: 5, Articles: 20, Comments: 20, Likes: 20, Tags: 5).EnvironmentVariables())
        {
            ["Logging__LogLevel__Default"] = "Warning",
            ["Observability__Profiling__CpuSampler"] = sampler,
        });
        using var http = new HttpClient { BaseAddress = api.PublicAddress, Timeout = TimeSpan.FromSeconds(60) };
        var metrics = await http.GetStringAsync(new Uri(api.ManagementAddress, "metrics"));
        Assert.Contains("observability_profiler_sampler_info{sampler=\"perf\"} 1", metrics);
        var token = await TokenAsync(http);

        // Two clients on a cheap authenticated request: the RS256 check is a large share of its CPU.
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/v2/articles/999999999");
                request.Headers.Authorization = new("Bearer", token);
                try
                {
                    using var response = await http.SendAsync(request, stop.Token);
                    Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                }
                catch (OperationCanceledException)
                {
                }
            }
        })).ToArray();
        try
        {
            // Warm-up first: the tiered JIT's own work would otherwise fill the first seconds.
            await Task.Delay(TimeSpan.FromSeconds(3));
            // 5-second windows until 30 samples inside libcrypto are in hand: a machine busy with other work gives the
            // service less CPU, so fewer samples per window, not a different share of them.
            var crypto = new List<PprofSample>();
            for (var window = 0; window < 4 && crypto.Sum(s => s.Values[0]) < 30 * 10_000_000L; window++)
            {
                var body = await http.GetByteArrayAsync(new Uri(api.ManagementAddress, "debug/pprof/profile?seconds=5&type=cpu"));
                crypto.AddRange(PprofProfile.Parse(body).Samples.Where(s => s.Stack.Count > 0 && s.Stack[^1].StartsWith("libcrypto.so", StringComparison.Ordinal)));
            }
            var total = crypto.Sum(s => s.Values[0]);
            Assert.True(total >= 30 * 10_000_000L, $"only {total / 10_000_000} CPU samples inside libcrypto in four 5-second windows");
            var whole = crypto.Where(s => s.Stack.Any(f => f.StartsWith(JwtHandler, StringComparison.Ordinal)) &&
                                          s.Stack.Any(f => f.StartsWith(RequestLoop, StringComparison.Ordinal))).Sum(s => s.Values[0]);
            var broken = crypto.Where(s => !s.Stack.Any(f => f.StartsWith(RequestLoop, StringComparison.Ordinal)) ||
                                           !s.Stack.Any(f => f.StartsWith(JwtHandler, StringComparison.Ordinal))).Take(3)
                .Select(s => string.Join(" > ", s.Stack.TakeLast(14)));
            output.WriteLine($"{100.0 * whole / total:0.0} % of {total / 10_000_000} libcrypto samples reach the JWT handler and the request");
            Assert.True(whole >= 0.9 * total,
                $"{100.0 * whole / total:0.0} % of {total / 10_000_000} libcrypto samples reach the JWT handler and the request; some that do not: {string.Join(" || ", broken)}");
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(load);
        }
    }

    private static async Task<string> TokenAsync(HttpClient http)
    {
        using var response = await http.PostAsJsonAsync("/auth/token", new { username = "user1", password = "articles-demo" });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"token request failed: {(int)response.StatusCode} {body}");
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("access_token").GetString()!;
    }
}
