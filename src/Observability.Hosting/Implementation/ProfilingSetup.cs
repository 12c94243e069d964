using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Observability.Profiling;
using OpenTelemetry.Trace;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Wires the always-on profiler (Observability.Profiling) with the options <c>AddObservability()</c> loaded: its
/// services, its span processor (between DB scrubbing and export, so <c>pyroscope.profile.id</c> is exported) and
/// its debug endpoints on the management listener. Profiles are pushed only when a Pyroscope address is configured.
/// </summary>
internal static class ProfilingSetup
{
    public static void AddServices(IServiceCollection services, ObservabilityOptions options, ManagementEndpointRegistrations endpoints)
    {
        if (!options.Profiling.Enabled) return;
        // The same instance the loader filled: one model, nothing copied.
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options.Profiling));
        services.AddObservabilityProfiling();
        endpoints.Maps.Add(routes => routes.MapProfilingEndpoints());
    }

    public static void AddSpanProcessor(TracerProviderBuilder tracing, ObservabilityOptions options)
    {
        if (!options.Profiling.Enabled) return;
        tracing.AddObservabilityProfiling();
    }
}
