using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Observability.Profiling;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Push;
using Observability.Profiling.Implementation.Sampling;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the always-on profiler.</summary>
public static class ProfilingServiceCollectionExtensions
{
    /// <summary>
    /// Adds the EventPipe sampler (CPU and wall profiles), the <see cref="SpanProfileProcessor"/> (span links
    /// and the request-time profile) and the Pyroscope push loop. Calling it again only adds the configuration.
    /// </summary>
    public static IServiceCollection AddObservabilityProfiling(this IServiceCollection services, Action<ProfilingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var builder = services.AddOptions<ProfilingOptions>();
        if (configure is not null) builder.Configure(configure);

        services.TryAddSingleton(sp => new ProfileHub(sp.GetRequiredService<IOptions<ProfilingOptions>>().Value));
        services.TryAddSingleton(sp => new SpanProfileProcessor(sp.GetRequiredService<ProfileHub>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SamplerHostedService>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ProfilePushService>());
        return services;
    }
}
