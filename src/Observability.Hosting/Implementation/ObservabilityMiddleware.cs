using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Observability.Profiling;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The one middleware the package adds (first in the pipeline, through a startup filter): k6 correlation,
/// in-flight gauge and the request-duration histogram (semantic-convention labels, route template, bounded k6 test id)
/// with the server span as exemplar.
/// </summary>
internal sealed class ObservabilityMiddleware(
    RequestDelegate next,
    HostingMetrics metrics,
    LoadTestCorrelation correlation,
    IOptions<ObservabilityOptions> options,
    ManagementRequestHandler management)
{
    private const int MaxRouteLength = 128;
    private readonly bool _publicExposure = options.Value.Management.PublicPortExposure;

    public async Task InvokeAsync(HttpContext context)
    {
        if (PathFilter.IsExcluded(context.Request.Path))
        {
            // Not measured on /metrics, so not by ASP.NET Core's own request metrics either (exported over OTLP).
            if (context.Features.Get<IHttpMetricsTagsFeature>() is { } excluded) excluded.MetricsDisabled = true;
            if (_publicExposure && management.Handles(context.Request.Path))
                await management.HandleAsync(context);
            else
                await next(context);
            return;
        }

        var activity = Activity.Current;
        var labels = correlation.Apply(context.Request, activity);
        // On the span for the logs and the profiler, whose samples of this request carry the labels from its start on.
        if (activity is not null) labels.AttachTo(activity);
        // ASP.NET Core's request metrics (what an OTLP export sends) get the same bounded test id as /metrics. The
        // feature is there only while some provider listens to them.
        context.Features.Get<IHttpMetricsTagsFeature>()?.Tags.Add(new KeyValuePair<string, object?>(TelemetryNames.TestIdLabel, labels.TestId));

        var method = BoundedMethod(context.Request.Method);
        var scheme = context.Request.IsHttps ? "https" : "http";
        var active = metrics.ActiveRequests.WithLabels(method, scheme);
        active.Inc();
        var start = Stopwatch.GetTimestamp();
        Exception? unhandled = null;
        try
        {
            await next(context);
        }
        catch (Exception exception)
        {
            unhandled = exception;
            throw;
        }
        finally
        {
            active.Dec();
            var status = unhandled is not null && !context.Response.HasStarted ? 500 : context.Response.StatusCode;
            // error.type as ASP.NET Core's own request metric sets it: the type of an exception that left the
            // pipeline, or of one an exception handler turned into a response; absent (empty) otherwise. An
            // exception handler clears the endpoint (or re-executes on its error path); its feature keeps the one
            // that threw, which is the route the request belongs to.
            var handled = unhandled is null ? context.Features.Get<IExceptionHandlerFeature>() : null;
            var error = unhandled ?? handled?.Error;
            var route = ((handled?.Endpoint ?? context.GetEndpoint()) as RouteEndpoint)?.RoutePattern.RawText;
            route = string.IsNullOrEmpty(route) ? TelemetryNames.UnmatchedRoute : route.Length > MaxRouteLength ? route[..MaxRouteLength] : route;
            var errorType = error is null ? "" : metrics.ErrorTypes.Map(error.GetType().FullName);
            metrics.RequestDuration
                .WithLabels(route, method, StatusCode(status), errorType, scheme, ProtocolVersion(context.Request.Protocol), labels.TestId)
                .Observe(Stopwatch.GetElapsedTime(start).TotalSeconds, ExemplarFactory.For(activity));
        }
    }

    private static readonly string[] StatusCodes = Enumerable.Range(0, 600).Select(c => c.ToString(CultureInfo.InvariantCulture)).ToArray();

    // A number as semconv has it; codes outside 100-599 are not HTTP and would only add series.
    private static string StatusCode(int status) => status is >= 100 and < 600 ? StatusCodes[status] : TelemetryNames.OtherSemconvValue;

    // network.protocol.version: "1.1", "2", "3" from "HTTP/1.1", "HTTP/2", "HTTP/3".
    private static string ProtocolVersion(string protocol) =>
        HttpProtocol.IsHttp11(protocol) ? "1.1" : HttpProtocol.IsHttp2(protocol) ? "2" : HttpProtocol.IsHttp3(protocol) ? "3"
        : HttpProtocol.IsHttp10(protocol) ? "1.0" : TelemetryNames.OtherSemconvValue;

    private static string BoundedMethod(string method) =>
        HttpMethods.IsGet(method) ? "GET" : HttpMethods.IsPost(method) ? "POST" : HttpMethods.IsPut(method) ? "PUT"
        : HttpMethods.IsDelete(method) ? "DELETE" : HttpMethods.IsPatch(method) ? "PATCH" : HttpMethods.IsHead(method) ? "HEAD"
        : HttpMethods.IsOptions(method) ? "OPTIONS" : HttpMethods.IsTrace(method) ? "TRACE" : HttpMethods.IsConnect(method) ? "CONNECT"
        : TelemetryNames.OtherSemconvValue;
}
