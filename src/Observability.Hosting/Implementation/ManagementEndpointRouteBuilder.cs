using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Observability.Hosting.Implementation;

/// <summary>
/// A private endpoint route builder for the management listener: endpoints mapped here (the profiler's) never
/// enter the public app's routing, link generation or API descriptions.
/// </summary>
internal sealed class ManagementEndpointRouteBuilder(IServiceProvider services) : IEndpointRouteBuilder
{
    public IServiceProvider ServiceProvider { get; } = services;

    public ICollection<EndpointDataSource> DataSources { get; } = new List<EndpointDataSource>();

    public IApplicationBuilder CreateApplicationBuilder() => new ApplicationBuilder(ServiceProvider);
}
