// Times GET /v1/articles against GET /v2/articles on the default seed data:
//   dotnet run -c Release --project bench/v1-vs-v2 -- [--runs 15] [--warmup 3] [--size 20] [--pages 1,5] [--out FILE]
// A temporary PostgreSQL is started (tests/TestSupport), the service seeds it with its defaults (Articles:Seed:*),
// and each case runs v1 and v2 alternately so both see the same machine noise. Three layers are timed: the
// repository call alone (SQL round trips), the full HTTP request with v2's cache emptied before every v2 call
// (cold: JWT RS256 validation + query + JSON + cache write), and the HTTP request with v2's cache warm (in
// process; no Redis here). v1 is never cached.
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Articles.Api;
using Articles.Api.Configuration;
using Articles.Api.Data;
using Articles.Bench.V1VsV2;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TestSupport;

var runs = IntArg("--runs", 15);
var warmup = IntArg("--warmup", 3);
var size = IntArg("--size", 20);
var pages = (Arg("--pages") ?? "1").Split(',').Select(p => int.Parse(p, CultureInfo.InvariantCulture)).ToArray();
var output = Arg("--out");

await using var postgres = await PostgresServer.StartAsync();
var connectionString = await postgres.CreateDatabaseAsync("articles");
var port = FreePort.Tcp();

var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
{
    ["ConnectionStrings:Articles"] = connectionString,
    ["Observability:Enabled"] = "false",
    ["Logging:LogLevel:Default"] = "Warning",
    ["Logging:LogLevel:Articles.Api.Data.DatabaseInitializer"] = "Information",
});
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
builder.AddArticlesApi();
await using var app = builder.Build();
app.MapArticlesApi();
var seeding = Stopwatch.StartNew();
await app.StartAsync();
Console.WriteLine($"Started and seeded the default data in {seeding.Elapsed.TotalSeconds:0.0} s.");

var repository = app.Services.GetRequiredService<ArticleRepository>();
var cache = app.Services.GetRequiredService<Articles.Api.Caching.ArticleCache>();
var seed = app.Services.GetRequiredService<IOptions<ArticlesOptions>>().Value.Seed;
using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
using (var tokenResponse = await http.PostAsJsonAsync("/auth/token", new { username = "user1", password = "articles-demo" }))
{
    tokenResponse.EnsureSuccessStatusCode();
    using var json = JsonDocument.Parse(await tokenResponse.Content.ReadAsStringAsync());
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("access_token").GetString());
}

var results = new List<(int Page, Timings V1, Timings V2, string Layer)>();
foreach (var page in pages)
{
    var request = new PageRequest(page, size);
    results.Add(await Alternate(page, "repository", () => repository.FindAllV1(request, default), () => repository.FindAllV2(request, default)));
    results.Add(await Alternate(page, "HTTP, v2 cache cold", () => Get($"/v1/articles?page={page}&size={size}"), async () =>
    {
        await cache.InvalidateAsync(default);
        await Get($"/v2/articles?page={page}&size={size}");
    }));
    results.Add(await Alternate(page, "HTTP, v2 cache warm", () => Get($"/v1/articles?page={page}&size={size}"), () => Get($"/v2/articles?page={page}&size={size}")));
}

var report = new StringBuilder();
report.AppendLine(CultureInfo.InvariantCulture, $"Seed: {seed.Users} users, {seed.Articles} articles, {seed.Comments} comments, {seed.Likes} likes, {seed.Tags} tags (RandomSeed {seed.RandomSeed}); page size {size}; {runs} runs per case after {warmup} warm-up runs, v1 and v2 alternating.");
report.AppendLine();
report.AppendLine("| page | layer | v1 median (ms) | v2 median (ms) | v1 / v2 | v1 min–max (ms) | v2 min–max (ms) |");
report.AppendLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
foreach (var (page, v1, v2, layer) in results)
{
    report.AppendLine(CultureInfo.InvariantCulture,
        $"| {page} | {layer} | {Timings.Ms(v1.Median)} | {Timings.Ms(v2.Median)} | {v1.Median / v2.Median:0.0}× | {Timings.Ms(v1.Min)}–{Timings.Ms(v1.Max)} | {Timings.Ms(v2.Min)}–{Timings.Ms(v2.Max)} |");
}

Console.WriteLine();
Console.Write(report);
if (output is not null)
{
    await File.WriteAllTextAsync(output, report.ToString());
    Console.WriteLine($"Written to {output}");
}

await app.StopAsync();
return 0;

async Task<(int, Timings, Timings, string)> Alternate(int page, string layer, Func<Task> v1Call, Func<Task> v2Call)
{
    var v1 = new Timings("v1");
    var v2 = new Timings("v2");
    for (var i = 0; i < warmup + runs; i++)
    {
        var t1 = await Time(v1Call);
        var t2 = await Time(v2Call);
        if (i >= warmup)
        {
            v1.Add(t1);
            v2.Add(t2);
        }
    }

    Console.WriteLine($"page {page}, {layer}: v1 {Timings.Ms(v1.Median)} ms, v2 {Timings.Ms(v2.Median)} ms (medians)");
    return (page, v1, v2, layer);
}

static async Task<TimeSpan> Time(Func<Task> call)
{
    var watch = Stopwatch.StartNew();
    await call();
    return watch.Elapsed;
}

async Task Get(string path)
{
    using var response = await http.GetAsync(path);
    response.EnsureSuccessStatusCode();
    await response.Content.ReadAsByteArrayAsync();
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

int IntArg(string name, int fallback) =>
    Arg(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
