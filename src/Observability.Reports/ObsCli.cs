using System.CommandLine;
using Observability.Reports.Implementation;
using Observability.Reports.Model;

namespace Observability.Reports;

/// <summary>The <c>obs</c> command line: <c>report</c>, <c>compare</c> and <c>list</c>.</summary>
public static class ObsCli
{
    public const int Ok = 0;
    public const int BackendFailed = 1;
    public const int NoData = 2;
    public const int BadInput = 3;

    public const string DefaultReportsFolder = "reports";

    /// <summary>Runs one command line with the given output streams; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        var parse = Build(output, error).Parse(args);
        if (parse.Errors.Count > 0)
        {
            // Usage errors get their own exit code, apart from backend failures.
            foreach (var problem in parse.Errors)
            {
                error.WriteLine($"obs: {problem.Message}");
            }

            error.WriteLine("Run 'obs --help' for usage.");
            return Task.FromResult(BadInput);
        }

        return parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct);
    }

    private static RootCommand Build(TextWriter output, TextWriter error)
    {
        var outDir = new Option<string>("--out") { Description = "Folder of the saved reports", DefaultValueFactory = _ => DefaultReportsFolder };
        var root = new RootCommand("obs: reports per k6 test run from Prometheus, Tempo and Pyroscope, and comparisons between runs.");
        root.Add(ReportCommand(outDir, output, error));
        root.Add(CompareCommand(outDir, output, error));
        root.Add(ListCommand(outDir, output));
        return root;
    }

    private static Command ReportCommand(Option<string> outDir, TextWriter output, TextWriter error)
    {
        var testId = new Option<string>("--testid") { Description = "The k6 test id (the testid tag and k6.testid baggage)", Required = true };
        var from = new Option<string?>("--from") { Description = "Window start: ISO 8601 or unix seconds (found from the data when left out)" };
        var to = new Option<string?>("--to") { Description = "Window end: ISO 8601 or unix seconds (found from the data when left out)" };
        var lookBack = new Option<string>("--lookback") { Description = "How far back to look for the test id when finding the window", DefaultValueFactory = _ => "24h" };
        var prometheus = new Option<string?>("--prometheus") { Description = $"Prometheus URL (env {BackendEndpoints.PrometheusVariable}, default {BackendEndpoints.DefaultPrometheus})" };
        var tempo = new Option<string?>("--tempo") { Description = $"Tempo URL (env {BackendEndpoints.TempoVariable}, default {BackendEndpoints.DefaultTempo})" };
        var pyroscope = new Option<string?>("--pyroscope") { Description = $"Pyroscope URL (env {BackendEndpoints.PyroscopeVariable}, default {BackendEndpoints.DefaultPyroscope})" };
        var grafana = new Option<string?>("--grafana") { Description = $"Grafana URL for the links (env {BackendEndpoints.GrafanaVariable}, default {BackendEndpoints.DefaultGrafana})" };
        var service = new Option<string?>("--service") { Description = "service_name to select profiles by (default: every service with the test id)" };
        var scrape = new Option<string>("--scrape-interval") { Description = "Scrape interval of the service (the compose stack: 5s), for the charts' rate window", DefaultValueFactory = _ => "5s" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for each backend answer", DefaultValueFactory = _ => 30 };
        var command = new Command("report", "Query the backends for one test run and write reports/<testid>/") { testId, from, to, lookBack, prometheus, tempo, pyroscope, grafana, service, scrape, timeout, outDir };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var backends = new BackendEndpoints
                {
                    Prometheus = Endpoint(parse.GetValue(prometheus), BackendEndpoints.PrometheusVariable, BackendEndpoints.DefaultPrometheus, "--prometheus"),
                    Tempo = Endpoint(parse.GetValue(tempo), BackendEndpoints.TempoVariable, BackendEndpoints.DefaultTempo, "--tempo"),
                    Pyroscope = Endpoint(parse.GetValue(pyroscope), BackendEndpoints.PyroscopeVariable, BackendEndpoints.DefaultPyroscope, "--pyroscope"),
                    Grafana = Endpoint(parse.GetValue(grafana), BackendEndpoints.GrafanaVariable, BackendEndpoints.DefaultGrafana, "--grafana"),
                };
                var request = new ReportRequest(
                    parse.GetRequiredValue(testId).Trim(),
                    ArgParsing.Time(parse.GetValue(from), "--from"),
                    ArgParsing.Time(parse.GetValue(to), "--to"),
                    backends,
                    parse.GetValue(service),
                    ArgParsing.Duration(parse.GetValue(lookBack) ?? "24h", "--lookback"),
                    ArgParsing.Duration(parse.GetValue(scrape) ?? "5s", "--scrape-interval"));
                if (request.TestId.Length == 0)
                {
                    throw new ArgumentException("--testid must not be empty.");
                }

                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(timeout), 1, 600)) };
                error.WriteLine($"obs report {request.TestId}: Prometheus {backends.Prometheus}, Tempo {backends.Tempo}, Pyroscope {backends.Pyroscope}");
                var report = await new ReportBuilder(request, http, new Progress(error)).BuildAsync(ct);
                var dir = new ReportStore(parse.GetValue(outDir) ?? DefaultReportsFolder).RunFolder(request.TestId);
                var files = ReportFiles.Write(report, dir);
                output.WriteLine($"wrote {Path.Combine(dir, ReportFiles.ReadmeFile)} ({string.Join(", ", files)})");
                if (report.Missing.Count > 0)
                {
                    output.WriteLine($"partial report, {report.Missing.Count} part(s) missing:");
                    report.Missing.ForEach(m => output.WriteLine($"  - {m}"));
                }

                return Ok;
            }
            catch (Exception ex) when (IsExpected(ex))
            {
                return Fail(ex, error);
            }
        });
        return command;
    }

    private static Command CompareCommand(Option<string> outDir, TextWriter output, TextWriter error)
    {
        var a = new Argument<string>("A") { Description = "Test id (or report folder) of the baseline run" };
        var b = new Argument<string>("B") { Description = "Test id (or report folder) of the run to compare with it" };
        var command = new Command("compare", "Compare two saved reports (no backend needed) and write reports/compare-A-vs-B/") { a, b, outDir };
        command.SetAction(parse =>
        {
            try
            {
                var store = new ReportStore(parse.GetValue(outDir) ?? DefaultReportsFolder);
                var runA = store.Load(parse.GetRequiredValue(a));
                var runB = store.Load(parse.GetRequiredValue(b));
                var comparison = Comparison.Of(runA, runB);
                var dir = Path.Combine(store.Root, CompareFiles.FolderName(runA.TestId, runB.TestId));
                var files = CompareFiles.Write(comparison, dir);
                output.WriteLine($"wrote {Path.Combine(dir, ReportFiles.ReadmeFile)} ({string.Join(", ", files)})");
                foreach (var m in comparison.Metrics.Where(m => m.Name.EndsWith("p95", StringComparison.Ordinal)))
                {
                    output.WriteLine($"  {m.Name}: {Fmt.Ms(m.A)} → {Fmt.Ms(m.B)} {m.ChangeText()}");
                }

                return Ok;
            }
            catch (Exception ex) when (IsExpected(ex))
            {
                return Fail(ex, error);
            }
        });
        return command;
    }

    private static Command ListCommand(Option<string> outDir, TextWriter output)
    {
        var command = new Command("list", "List the saved reports") { outDir };
        command.SetAction(parse =>
        {
            var store = new ReportStore(parse.GetValue(outDir) ?? DefaultReportsFolder);
            var runs = store.List();
            if (runs.Count == 0)
            {
                output.WriteLine($"no saved reports under {store.Root}");
                return Ok;
            }

            output.WriteLine($"{"test id",-24} {"window (UTC)",-42} {"server req",10} {"server p95",11}  missing");
            foreach (var (folder, run, problem) in runs)
            {
                output.WriteLine(run is null
                    ? $"{Path.GetFileName(folder),-24} unreadable: {problem}"
                    : $"{run.TestId,-24} {Fmt.Time(run.From) + " → " + Fmt.Time(run.To),-42} {Fmt.Count(run.Server?.Requests),10} {Fmt.Ms(run.Server?.P95Ms),11}  {run.Missing.Count}");
            }

            return Ok;
        });
        return command;
    }

    private static string Endpoint(string? given, string variable, string fallback, string option) =>
        ArgParsing.Url(!string.IsNullOrWhiteSpace(given) ? given : Environment.GetEnvironmentVariable(variable) is { Length: > 0 } env ? env : fallback, option);

    private static int Fail(Exception ex, TextWriter error)
    {
        switch (ex)
        {
            case NoDataException:
                error.WriteLine($"obs: no data: {ex.Message}");
                return NoData;
            case BackendException:
                error.WriteLine($"obs: {ex.Message}");
                return BackendFailed;
            case ArgumentException or FileNotFoundException or InvalidDataException:
                error.WriteLine($"obs: {ex.Message}");
                return BadInput;
            default:
                error.WriteLine("obs: cancelled");
                return BackendFailed;
        }
    }

    // Anything else is a bug and keeps its stack trace.
    private static bool IsExpected(Exception ex) =>
        ex is NoDataException or BackendException or ArgumentException or FileNotFoundException or InvalidDataException or OperationCanceledException;
}
