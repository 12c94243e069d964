using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Observability.Profiling.FlameGraphs;
using Observability.Profiling.Implementation.Pprof;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling;

/// <summary>
/// The pprof and flame-graph debug endpoints, mapped on the management port by the hosting package. They show what the
/// process runs (method names, span ids): map them only where the public cannot reach them.
/// </summary>
public static class ProfilingEndpoints
{
    private const int DefaultSeconds = 30;

    /// <summary>
    /// <c>GET /debug/pprof/profile?seconds=N&amp;type=cpu|wall|request</c> (gzipped pprof) and
    /// <c>GET /debug/pprof/flamegraph?seconds=N&amp;type=…</c> (SVG). Requires <c>services.AddObservabilityProfiling()</c>.
    /// </summary>
    public static IEndpointRouteBuilder MapProfilingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var hub = endpoints.ServiceProvider.GetService<ProfileHub>()
            ?? throw new InvalidOperationException("MapProfilingEndpoints needs services.AddObservabilityProfiling() first.");
        var sampled = endpoints.ServiceProvider.GetRequiredService<SampledKinds>();

        endpoints.MapGet("/debug/pprof/profile", (Delegate)((HttpContext context) => HandleAsync(context, hub, sampled, svg: false)));
        endpoints.MapGet("/debug/pprof/flamegraph", (Delegate)((HttpContext context) => HandleAsync(context, hub, sampled, svg: true)));
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, ProfileHub hub, SampledKinds sampled, bool svg)
    {
        var options = hub.Options;
        var query = context.Request.Query;
        var type = query["type"].Count == 0 ? "cpu" : query["type"].ToString();
        if (!ProfileKinds.TryParse(type, out var kind))
        {
            return Results.BadRequest("type must be cpu, wall or request");
        }
        var seconds = DefaultSeconds;
        if (query["seconds"].Count > 0 &&
            (!int.TryParse(query["seconds"].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out seconds) || seconds < 1))
        {
            return Results.BadRequest($"seconds must be a whole number from 1 to {Math.Max(1, options.MaxSecondsPerRequest)}");
        }
        var cap = Math.Max(1, options.MaxSecondsPerRequest);
        if (seconds > cap) return Results.BadRequest($"seconds must be from 1 to {cap}");
        if (ProfileCapture.Unavailable(kind, options, sampled) is { } reason)
        {
            return Results.Problem(reason, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var started = DateTimeOffset.UtcNow;
        var result = await ProfileCapture.RunAsync(hub, sampled, kind, TimeSpan.FromSeconds(seconds), context.RequestAborted);
        if (result.Busy) return Results.StatusCode(StatusCodes.Status429TooManyRequests);
        if (result.Capture is not { } capture)
        {
            return Results.Problem(result.Failure, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var period = sampled.PeriodNanos(kind);
        if (!svg)
        {
            context.Response.Headers.ContentDisposition = $"attachment; filename=\"{kind.Id()}.pb.gz\"";
            return Results.Bytes(PprofBuilder.EncodeWindow(capture, capture.Start, DateTimeOffset.UtcNow - capture.Start, period), "application/octet-stream");
        }
        var graph = FlameGraph.FromStacks(capture.Stacks());
        var unit = ProfileKinds.Unit;
        var title = kind switch
        {
            ProfileKind.Cpu => "CPU time",
            ProfileKind.Wall => "Wall time of request threads",
            _ => "Request time (span self time, waits included)",
        };
        var subtitle = $"{options.ApplicationName ?? ProfilingOptions.DefaultApplicationName} · {started:yyyy-MM-dd HH:mm:ss} UTC · {seconds} s";
        var text = FlameGraphSvg.Render(graph, new FlameGraphSvgOptions { Title = title, Subtitle = subtitle, Unit = unit });
        return Results.Text(text, "image/svg+xml; charset=utf-8");
    }
}
