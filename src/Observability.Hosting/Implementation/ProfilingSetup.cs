using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Observability.Hosting.Implementation;

/// <summary>Wires the always-on profiler (Observability.Profiling): services, span processor, debug endpoints.</summary>
internal static class ProfilingSetup
{
    public static void AddServices(IServiceCollection services, ObservabilityOptions options, ManagementEndpointRegistrations endpoints)
    {
        if (!options.Profiling.Enabled) return;
        // Filled in once the profiler exposes its registration API.
    }

    public static void AddSpanProcessor(TracerProviderBuilder tracing, ObservabilityOptions options)
    {
        if (!options.Profiling.Enabled) return;
    }
}
