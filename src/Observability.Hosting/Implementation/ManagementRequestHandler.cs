using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Serves the management paths: <c>/metrics</c> (OpenMetrics with exemplars when the scraper asks for it,
/// else the Prometheus text format) and the endpoints mapped through <see cref="ManagementEndpointRegistrations"/>
/// (fixed paths, matched exactly). <c>/metrics</c> answers 404 when <c>OTEL_METRICS_EXPORTER</c> leaves out prometheus.
/// </summary>
internal sealed class ManagementRequestHandler
{
    private const string OpenMetricsType = "application/openmetrics-text";
    private static readonly PathString MetricsPath = new("/metrics");
    private readonly HostingMetrics _metrics;
    private readonly Lazy<IReadOnlyList<RouteEndpoint>> _endpoints;

    private readonly bool _servesMetrics;

    public ManagementRequestHandler(
        HostingMetrics metrics, IServiceProvider services, ManagementEndpointRegistrations registrations, IOptions<ObservabilityOptions> options)
    {
        _metrics = metrics;
        // OTEL_METRICS_EXPORTER without prometheus: the path stays the kit's (never the app's), but answers 404.
        _servesMetrics = options.Value.Metrics.Exporters.HasFlag(MetricsExporters.Prometheus);
        _endpoints = new Lazy<IReadOnlyList<RouteEndpoint>>(() =>
        {
            var builder = new ManagementEndpointRouteBuilder(services);
            foreach (var map in registrations.Maps) map(builder);
            return builder.DataSources.SelectMany(source => source.Endpoints).OfType<RouteEndpoint>().ToList();
        });
    }

    public bool Handles(PathString path) => path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase) || Find(path, null) is not null;

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.Path.Equals(MetricsPath, StringComparison.OrdinalIgnoreCase))
        {
            if (_servesMetrics) await WriteMetricsAsync(context);
            else context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var endpoint = Find(request.Path, request.Method);
        if (endpoint?.RequestDelegate is null)
        {
            context.Response.StatusCode = Find(request.Path, null) is null ? StatusCodes.Status404NotFound : StatusCodes.Status405MethodNotAllowed;
            return;
        }
        context.SetEndpoint(endpoint);
        await endpoint.RequestDelegate(context);
    }

    private async Task WriteMetricsAsync(HttpContext context)
    {
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        var openMetrics = context.Request.Headers.Accept.Any(value => value?.Contains(OpenMetricsType, StringComparison.OrdinalIgnoreCase) == true);
        // Serialise first, so a failing collector gives a clean 500 rather than half a body.
        using var buffer = new MemoryStream();
        await _metrics.Registry.CollectAndExportAsTextAsync(buffer,
            openMetrics ? ExpositionFormat.OpenMetricsText : ExpositionFormat.PrometheusText, context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = openMetrics
            ? "application/openmetrics-text; version=1.0.0; charset=utf-8"
            : "text/plain; version=0.0.4; charset=utf-8";
        context.Response.ContentLength = buffer.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        buffer.Position = 0;
        await buffer.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    private RouteEndpoint? Find(PathString path, string? method)
    {
        var value = path.Value ?? "";
        foreach (var endpoint in _endpoints.Value)
        {
            var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").Trim('/');
            if (!string.Equals(pattern, value.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)) continue;
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods;
            if (method is null || methods is null || methods.Count == 0 || methods.Any(m => string.Equals(m, method, StringComparison.OrdinalIgnoreCase)))
                return endpoint;
        }
        return null;
    }
}
