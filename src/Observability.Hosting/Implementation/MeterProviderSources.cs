using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Observability.Hosting.Implementation;

/// <summary>
/// The meter names the container's OpenTelemetry meter provider was told to listen to (every <c>AddMeter</c>, the
/// app's <c>ConfigureOpenTelemetryMeterProvider</c> callbacks included). The SDK keeps them in its builder state, an
/// internal singleton of the container, so they are read by reflection on the pinned SDK once the provider is built:
/// anything unexpected answers null, "cannot tell". ProviderMeterTests run it against the real SDK.
/// </summary>
internal static class MeterProviderSources
{
    private const string StateType = "OpenTelemetry.Metrics.MeterProviderBuilderSdk";

    public static IReadOnlyList<string>? Read(IServiceProvider services)
    {
        try
        {
            if (services.GetService<MeterProvider>() is null) return null;
            var type = typeof(MetricReader).Assembly.GetType(StateType, throwOnError: false);
            if (type is null || services.GetService(type) is not { } state) return null;
            var property = type.GetProperty("MeterSources", BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic);
            return property?.GetValue(state) is IEnumerable<string> sources ? sources.ToArray() : null;
        }
        catch (Exception)
        {
            return null;
        }
    }
}
