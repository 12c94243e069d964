using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Articles.Api.Endpoints;

/// <summary>
/// <c>/health/live</c>: the process answers (no dependency checked, so an outage never restarts it).
/// <c>/health/ready</c>: the database answers and the schema exists; 503 otherwise.
/// </summary>
public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).AllowAnonymous();
        return app;
    }
}
