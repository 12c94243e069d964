using Microsoft.Extensions.DependencyInjection;
using Observability.Profiling;
using OpenTelemetry.Trace;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Wires the always-on profiler (Observability.Profiling): its services, its span processor (between DB
/// scrubbing and export, so <c>pyroscope.profile.id</c> is exported) and its debug endpoints on the
/// management listener. Profiles are pushed only when a Pyroscope address is configured.
/// </summary>
internal static class ProfilingSetup
{
    public static void AddServices(IServiceCollection services, ObservabilityOptions options, ManagementEndpointRegistrations endpoints)
    {
        if (!options.Profiling.Enabled) return;
        var settings = options.Profiling;
        services.AddObservabilityProfiling(profiling =>
        {
            profiling.Enabled = true;
            profiling.ServerAddress = settings.ServerAddress?.ToString().TrimEnd('/');
            profiling.ApplicationName = settings.ApplicationName ?? options.ServiceName ?? profiling.ApplicationName;
            foreach (var (key, value) in settings.Labels) profiling.Labels[key] = value;
            profiling.BasicAuthUser = settings.BasicAuthUser;
            profiling.BasicAuthPassword = settings.BasicAuthPassword;
            profiling.TenantId = settings.TenantId;
        });
        endpoints.Maps.Add(routes => routes.MapProfilingEndpoints());
    }

    public static void AddSpanProcessor(TracerProviderBuilder tracing, ObservabilityOptions options)
    {
        if (!options.Profiling.Enabled) return;
        tracing.AddProcessor(sp => sp.GetRequiredService<SpanProfileProcessor>());
    }
}
