using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Observability.Profiling.Implementation;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The one middleware the package adds (first in the pipeline, through a startup filter): k6 correlation,
/// in-flight gauge and the request-duration histogram by route template, with the server span as exemplar.
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
            if (_publicExposure && management.Handles(context.Request.Path))
                await management.HandleAsync(context);
            else
                await next(context);
            return;
        }

        var activity = Activity.Current;
        var labels = correlation.Apply(context.Request, activity);
        activity?.SetCustomProperty(LoadTestLabels.ActivityPropertyName, labels);

        var method = BoundedMethod(context.Request.Method);
        var active = metrics.ActiveRequests.WithLabels(method);
        active.Inc();
        var start = Stopwatch.GetTimestamp();
        var failed = false;
        try
        {
            await next(context);
        }
        catch
        {
            failed = true;
            throw;
        }
        finally
        {
            active.Dec();
            var status = failed && !context.Response.HasStarted ? 500 : context.Response.StatusCode;
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            route = string.IsNullOrEmpty(route) ? "unmatched" : route.Length > MaxRouteLength ? route[..MaxRouteLength] : route;
            metrics.RequestDuration.WithLabels(route, method, StatusClass(status), labels.TestId)
                .Observe(Stopwatch.GetElapsedTime(start).TotalSeconds, ExemplarFactory.For(activity));
        }
    }

    private static string StatusClass(int status) => status switch
    {
        < 200 => "1xx",
        < 300 => "2xx",
        < 400 => "3xx",
        < 500 => "4xx",
        _ => "5xx",
    };

    private static string BoundedMethod(string method) =>
        HttpMethods.IsGet(method) ? "GET" : HttpMethods.IsPost(method) ? "POST" : HttpMethods.IsPut(method) ? "PUT"
        : HttpMethods.IsDelete(method) ? "DELETE" : HttpMethods.IsPatch(method) ? "PATCH" : HttpMethods.IsHead(method) ? "HEAD"
        : HttpMethods.IsOptions(method) ? "OPTIONS" : "other";
}
