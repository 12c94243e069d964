using Observability.Reports.Model;

namespace Observability.Reports.Implementation;

/// <summary>
/// Runs the queries of one report: finds the window, then asks Prometheus, Tempo and Pyroscope in turn. A backend
/// that fails makes the report partial (listed under Missing); no data anywhere is a <see cref="NoDataException"/>.
/// </summary>
internal sealed class ReportBuilder(ReportRequest request, HttpClient http, Progress progress, Func<DateTimeOffset>? clock = null)
{
    public async Task<RunReport> BuildAsync(CancellationToken ct)
    {
        var now = (clock ?? (() => DateTimeOffset.UtcNow))();
        var backends = request.Backends;
        var prometheus = new PrometheusClient(http, backends.Prometheus);
        var report = new RunReport { TestId = request.TestId, Backends = backends, GeneratedAt = now };
        await FindWindowAsync(report, prometheus, now, ct);

        var failures = new List<BackendException>();
        await Section("Prometheus", () => new PrometheusSection(prometheus, progress, request.ScrapeInterval).CollectAsync(report, ct));
        await Section("Tempo", () => new TempoSection(new TempoClient(http, backends.Tempo), progress, request.TraceLimit).CollectAsync(report, ct));
        await Section("Pyroscope", () => new PyroscopeSection(new PyroscopeClient(http, backends.Pyroscope), progress, request.ServiceName).CollectAsync(report, ct));

        var empty = report.Client is null && report.Server is null && report.SlowTraces.Count == 0
                    && report.DbStatements.Count == 0 && report.Profiles.Count == 0;
        if (empty && failures.Count == 3)
        {
            throw new BackendException("every backend", "no backend answered:\n  - " + string.Join("\n  - ", failures.Select(f => f.Message)));
        }

        if (empty)
        {
            throw new NoDataException(
                $"test id \"{request.TestId}\" has no data in {Fmt.Time(report.From)} → {Fmt.Time(report.To)} in any backend:\n  - " +
                string.Join("\n  - ", report.Missing));
        }

        return report;

        async Task Section(string backend, Func<Task> collect)
        {
            try
            {
                await collect();
            }
            catch (BackendException ex)
            {
                progress.Warn(ex.Message);
                failures.Add(ex);
                report.Missing.Add($"{backend} part (all of it): {ex.Detail}");
            }
        }
    }

    private async Task FindWindowAsync(RunReport report, PrometheusClient prometheus, DateTimeOffset now, CancellationToken ct)
    {
        if (request.From is { } givenFrom && request.To is { } givenTo)
        {
            if (givenTo <= givenFrom)
            {
                throw new ArgumentException($"--to ({Fmt.Time(givenTo)}) must be after --from ({Fmt.Time(givenFrom)}).");
            }

            (report.From, report.To, report.WindowSource) = (givenFrom, givenTo, "window given on the command line");
            return;
        }

        progress.Step($"Prometheus: finding the window of test {request.TestId} in the last {request.LookBack.TotalHours:0.#} h");
        WindowFinder.Found? found;
        try
        {
            found = await new WindowFinder(prometheus).FindAsync(request.TestId, request.LookBack, now, ct);
        }
        catch (BackendException ex)
        {
            throw new BackendException(ex.Backend, ex.Detail + " The window is found from Prometheus; without it pass --from and --to.", ex);
        }

        if (found is null)
        {
            var known = await KnownTestIdsAsync(prometheus, now, ct);
            throw new NoDataException(
                $"no data for test id \"{request.TestId}\" in Prometheus over the last {request.LookBack.TotalHours:0.#} h " +
                $"(looked for {PromQl.Select(PromQl.K6Requests, request.TestId)} and {PromQl.Select(PromQl.ServerCount, request.TestId)})." +
                (known.Count > 0 ? $" Test ids seen: {string.Join(", ", known)}." : "") +
                " Use --lookback for older runs, or --from/--to.");
        }

        report.From = request.From ?? found.From;
        report.To = request.To ?? found.To;
        report.WindowSource = $"found from {found.Source}";
        if (report.To <= report.From)
        {
            throw new ArgumentException($"the window {Fmt.Time(report.From)} → {Fmt.Time(report.To)} is empty; check --from/--to.");
        }
    }

    private async Task<List<string>> KnownTestIdsAsync(PrometheusClient prometheus, DateTimeOffset now, CancellationToken ct)
    {
        try
        {
            var ids = await prometheus.LabelValuesAsync(PromQl.TestIdLabel, now - request.LookBack, now, ct);
            return ids.Where(i => i is not "none" and not "other").Take(20).ToList();
        }
        catch (BackendException)
        {
            return [];
        }
    }
}
