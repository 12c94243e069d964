using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The request loop of the management Kestrel server. It uses the app's own service provider (one scope per
/// request) but none of its middleware, so management requests are never traced or counted as traffic.
/// </summary>
internal sealed class ManagementHttpApplication(IServiceProvider services, ManagementRequestHandler handler)
    : IHttpApplication<ManagementHttpApplication.RequestContext>
{
    public sealed class RequestContext(HttpContext http, AsyncServiceScope scope)
    {
        public HttpContext Http { get; } = http;

        public AsyncServiceScope Scope { get; } = scope;
    }

    public RequestContext CreateContext(IFeatureCollection contextFeatures)
    {
        var http = new DefaultHttpContext(contextFeatures);
        var scope = services.CreateAsyncScope();
        http.RequestServices = scope.ServiceProvider;
        return new RequestContext(http, scope);
    }

    public async Task ProcessRequestAsync(RequestContext context)
    {
        try
        {
            await handler.HandleAsync(context.Http);
        }
        catch (Exception) when (!context.Http.Response.HasStarted && !context.Http.RequestAborted.IsCancellationRequested)
        {
            context.Http.Response.Clear();
            context.Http.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }
    }

    public void DisposeContext(RequestContext context, Exception? exception)
    {
        context.Scope.Dispose();
    }
}
