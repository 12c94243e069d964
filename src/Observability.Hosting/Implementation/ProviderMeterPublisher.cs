using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Puts on <c>/metrics</c> the meters an app adds with <c>ConfigureOpenTelemetryMeterProvider(m => m.AddMeter(…))</c>:
/// once the host starts, the meter provider is built (its callbacks run once, in the SDK, as always) and the names it
/// listens to, less the kit's own, go to the <see cref="MeterBridge"/>. One information line names them. Never throws:
/// when the provider cannot be read, <c>Observability:Metrics:Meters</c> is the way (a debug line says so).
/// </summary>
internal sealed class ProviderMeterPublisher(IServiceProvider services, HostingMetrics metrics, IReadOnlyCollection<string> kitMeters,
    ILoggerFactory loggers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (metrics.Meters is not { } bridge) return Task.CompletedTask;
        var logger = loggers.CreateLogger("Observability.Hosting.Metrics");
        try
        {
            if (MeterProviderSources.Read(services) is not { } sources)
            {
                logger.LogDebug("Cannot read the meters of the OpenTelemetry meter provider; name the app's meters in Observability:Metrics:Meters to publish them");
                return Task.CompletedTask;
            }
            var added = sources.Where(source => !kitMeters.Contains(source)).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
            if (added.Length == 0) return Task.CompletedTask;
            bridge.AddProviderMeters(new MeterNamePatterns(added));
            logger.LogInformation("Meters added to the OpenTelemetry meter provider are also published on /metrics: {Meters}", string.Join(", ", added));
        }
        catch (Exception error)
        {
            logger.LogDebug(error, "Cannot publish the meters of the OpenTelemetry meter provider");
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
