using System.Text;
using System.Text.RegularExpressions;
using Faults.Tests.Implementation;

namespace Faults.Tests;

/// <summary>
/// Hostile headers and floods of distinct test ids: no exception escapes, the app keeps serving, metric series
/// stay bounded, and nothing a client sent reaches /metrics unsanitised.
/// </summary>
[Collection(FaultsCollection.Name)]
public sealed partial class HostileInputTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    private static readonly byte[] InvalidUtf8 = [0xC3, 0x28, 0xFF, 0xFE, 0xE2, 0x82];

    /// <summary>Fragments that would show up in /metrics only if a value were echoed without sanitising.</summary>
    private static readonly string[] InjectedFragments = ["\"}route=\"evil", "}route=", "# HELP injected", "\r", "\u00FF", "<script>", "%0D", "%22"];

    private static readonly Dictionary<string, byte[][]> Headers = new()
    {
        ["baggage of 8 KB"] = [RawHttp.Header("baggage", "k6.testid=big," + Members(8192 / 12, i => $"k6.p{i:D4}=vvvv"))],
        ["baggage of 20 KB"] = [RawHttp.Header("baggage", "k6.testid=bigger,k6.name=" + new string('a', 20_000))],
        ["baggage of 1,000 entries"] = [RawHttp.Header("baggage", Members(1000, i => $"k6.testid=many{i}"))],
        ["invalid percent-encoding"] = [RawHttp.Header("baggage", "k6.testid=%ZZ%zz%,k6.scenario=%E0%A4%A,k6.name=%")],
        ["percent-encoded CR/LF"] = [RawHttp.Header("baggage", "k6.testid=evil%0D%0A%23%20HELP%20injected,k6.scenario=a%0Ab")],
        ["label injection"] = [RawHttp.Header("baggage", "k6.testid=x%22%7Droute%3D%22evil,k6.scenario=%3Cscript%3E")],
        ["raw CR in a header value"] = [RawHttp.Header("baggage", "k6.testid=a\rb")],
        ["percent-encoded invalid UTF-8"] = [RawHttp.Header("baggage", "k6.testid=%C3%28%FF%FE,k6.scenario=%E2%82")],
        ["raw invalid UTF-8 bytes"] = [RawHttp.Header("baggage", [.. "k6.testid="u8.ToArray(), .. InvalidUtf8])],
        ["huge traceparent"] = [RawHttp.Header("traceparent", "00-" + new string('a', 8000) + "-0123456789abcdef-01")],
        ["malformed traceparent and tracestate"] = [RawHttp.Header("traceparent", "00-zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz-zzzzzzzzzzzzzzzz-zz"),
                                                  RawHttp.Header("tracestate", Members(2000, i => $"k{i}=v{i}"))],
        ["duplicate baggage headers"] = [RawHttp.Header("baggage", "k6.testid=one"), RawHttp.Header("baggage", "k6.testid=two,k6.testid=three")],
    };

    public static TheoryData<string> Cases => new(Headers.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_headers_are_ignored_safely(string name)
    {
        var headers = Headers[name];
        var logsBefore = fixture.Host.Logs.Records.Count;

        var status = await RawHttp.GetAsync(fixture.Host.PublicAddress, ArticlesClient.ListPath, fixture.Client.Token, headers);
        var empty = await RawHttp.GetAsync(fixture.Host.PublicAddress, "/empty", null, headers);

        // A clean answer: handled (200) or refused as a bad request by the server (400, 431); never 5xx or a cut connection.
        Assert.True(status is 200 or 400 or 431, $"{name}: the list answered {status}");
        Assert.True(empty is 404 or 400 or 431, $"{name}: /empty answered {empty}");
        using (var after = await fixture.Client.SendAsync(fixture.Client.Get(ArticlesClient.ListPath)))
        {
            Assert.Equal(200, (int)after.StatusCode);
        }

        var errors = fixture.Host.Logs.Records.Skip(logsBefore).Where(r => r.StartsWith("Error", StringComparison.Ordinal) || r.StartsWith("Critical", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"{name}: errors logged:\n{string.Join('\n', errors)}");
        await AssertExpositionCleanAsync(name);
    }

    [Fact]
    public async Task Ten_thousand_distinct_test_ids_keep_series_within_the_cap()
    {
        const int distinct = 10_000;
        var http = fixture.Host.Client;
        // The profiler gets the same bounded labels: a request-time capture taken during the flood names some flood
        // ids, and at most the cap of them. Asked before the flood starts, so its window holds flood requests.
        using var management = new HttpClient { BaseAddress = fixture.Host.ManagementAddress, Timeout = TimeSpan.FromSeconds(30) };
        var capture = management.GetByteArrayAsync("/debug/pprof/profile?seconds=2&type=request");
        var next = -1;
        var failures = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < distinct)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/empty");
                request.Headers.TryAddWithoutValidation("baggage", $"k6.testid=flood-{i},k6.scenario=flood-{i % 500}");
                using var response = await http.SendAsync(request);
                if ((int)response.StatusCode != 404)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        Assert.Equal(0, failures);

        var exposition = await Exposition.FetchAsync(fixture.Host.ManagementAddress);
        var testIds = Exposition.LabelValues(exposition, "http_server_request_duration_seconds_count", "testid");
        // The cap, plus "other" and "none".
        Assert.InRange(testIds.Count, 2, HostFixture.MaxTestIds + 2);
        Assert.Contains("other", testIds);
        var overflow = Exposition.Samples(exposition)
            .Where(s => s.Name == "observability_loadtest_label_overflow_total" && s.Labels.GetValueOrDefault("label") == "testid")
            .Sum(s => s.Value);
        Assert.True(overflow >= distinct - HostFixture.MaxTestIds, $"overflow counter {overflow}, expected at least {distinct - HostFixture.MaxTestIds}");
        var lines = exposition.Split('\n').Count(l => l.Length > 0 && !l.StartsWith('#'));
        Assert.True(lines < 3000, $"{lines} sample lines in /metrics after {distinct} test ids");

        var floodIds = ProfileStrings.OfPprof(await capture).Where(s => s.StartsWith("flood-", StringComparison.Ordinal)).Distinct().Count();
        Assert.InRange(floodIds, 1, HostFixture.MaxTestIds);
        await AssertExpositionCleanAsync("flood");
    }

    private async Task AssertExpositionCleanAsync(string name)
    {
        foreach (var openMetrics in new[] { false, true })
        {
            var exposition = await Exposition.FetchAsync(fixture.Host.ManagementAddress, openMetrics);
            Assert.Empty(Exposition.MalformedLines(exposition));
            foreach (var fragment in InjectedFragments)
            {
                Assert.False(exposition.Contains(fragment, StringComparison.Ordinal), $"{name}: /metrics contains {fragment.ReplaceLineEndings("\\n")}");
            }

            foreach (var value in Exposition.LabelValues(exposition, "http_server_request_duration_seconds_count", "testid"))
            {
                Assert.Matches(LabelValue(), value);
            }
        }
    }

    private static string Members(int count, Func<int, string> member) =>
        new StringBuilder().AppendJoin(',', Enumerable.Range(0, count).Select(member)).ToString();

    [GeneratedRegex("^[A-Za-z0-9._:/-]{1,64}$")]
    private static partial Regex LabelValue();
}
