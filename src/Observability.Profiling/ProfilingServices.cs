using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Push;
using Observability.Profiling.Implementation.Sampling;
using Observability.Profiling.Implementation.Spans;
using OpenTelemetry.Trace;
using Prometheus;

namespace Observability.Profiling;

/// <summary>
/// Registers the always-on profiler. The hosting package's <c>AddObservability()</c> calls these with the options it
/// loaded; an application that wires OpenTelemetry itself can call them directly.
/// </summary>
public static class ProfilingServices
{
    /// <summary>
    /// Adds the EventPipe sampler (CPU and wall profiles), the <see cref="SpanProfileProcessor"/> (span links and the
    /// request-time profile) and the Pyroscope push loop. The options come from <see cref="IOptions{ProfilingOptions}"/>
    /// (the hosting package registers the instance it loaded); its counters go to the host's
    /// <see cref="CollectorRegistry"/> when one is registered.
    /// </summary>
    public static IServiceCollection AddObservabilityProfiling(this IServiceCollection services, Action<ProfilingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<ProfilingOptions>();
        if (configure is not null) builder.Configure(configure);

        services.TryAddSingleton(sp => new ProfilerMetrics(sp.GetService<CollectorRegistry>() ?? Metrics.NewCustomRegistry()));
        services.TryAddSingleton(sp => new ProfileHub(sp.GetRequiredService<IOptions<ProfilingOptions>>().Value, sp.GetRequiredService<ProfilerMetrics>()));
        // The process's one EventPipe session control; a test registers a control of its own before this. Registered
        // as an instance, which the container does not dispose: other hosts in the process go on using it.
        services.TryAddSingleton(EventPipeSampler.Shared);
        services.TryAddSingleton(sp => new SampledKinds(sp.GetRequiredService<EventPipeSessionControl>()));
        services.TryAddSingleton(sp => new SpanProfileProcessor(sp.GetRequiredService<ProfileHub>(), sp.GetRequiredService<SampledKinds>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SamplerHostedService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ProfilePushService>());
        return services;
    }

    /// <summary>
    /// Adds the profiler's span processor (span links through <c>pyroscope.profile.id</c>, the request-time profile) to
    /// a tracer provider whose services include <see cref="AddObservabilityProfiling(IServiceCollection, Action{ProfilingOptions}?)"/>.
    /// Add it after processors that rename or scrub spans and before the exporter, so the attribute is exported.
    /// </summary>
    public static TracerProviderBuilder AddObservabilityProfiling(this TracerProviderBuilder tracing)
    {
        ArgumentNullException.ThrowIfNull(tracing);
        return tracing.AddProcessor(sp => sp.GetRequiredService<SpanProfileProcessor>());
    }
}
