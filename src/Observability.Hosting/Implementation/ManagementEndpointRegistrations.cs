using Microsoft.AspNetCore.Routing;

namespace Observability.Hosting.Implementation;

/// <summary>Extra endpoints for the management listener (the profiler's), mapped once on first use.</summary>
internal sealed class ManagementEndpointRegistrations
{
    public List<Action<IEndpointRouteBuilder>> Maps { get; } = [];
}
