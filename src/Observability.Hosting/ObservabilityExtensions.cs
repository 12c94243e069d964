using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Observability.Hosting;
using Observability.Hosting.Implementation;
using OpenTelemetry.Resources;

namespace Microsoft.Extensions.Hosting;

/// <summary>The package's one entry point: <c>builder.AddObservability();</c>.</summary>
public static class ObservabilityExtensions
{
    /// <summary>
    /// Adds traces and logs (OpenTelemetry, OTLP export when an endpoint is configured), Prometheus metrics with exemplars
    /// on a separate management port (or over OTLP, as <c>OTEL_METRICS_EXPORTER</c> says), k6 load-test correlation and the always-on profiler. Reads the
    /// <c>Observability</c> section and the standard <c>OTEL_*</c> / <c>PYROSCOPE_*</c> variables; throws
    /// <see cref="InvalidOperationException"/> naming the key of any bad value. Calling it again does nothing.
    /// With <c>Observability:Enabled=false</c> or <c>OTEL_SDK_DISABLED=true</c> it registers nothing.
    /// </summary>
    public static TBuilder AddObservability<TBuilder>(this TBuilder builder, Action<ObservabilityOptions>? configure = null)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.Services.Any(descriptor => descriptor.ServiceType == typeof(ObservabilityMarker)))
            return builder;

        var options = OptionsLoader.Load(builder.Configuration, builder.Environment.ApplicationName, configure);
        if (!options.Enabled)
            return builder;

        builder.Services.AddSingleton<ObservabilityMarker>();
        // Loaded once above; every part of the kit, the profiler included, reads this one instance.
        builder.Services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        builder.AddMetricsRegistry(options);
        builder.BoundIncomingBaggage();
        builder.AddRequestMiddleware();
        var management = builder.AddManagementListener();
        ProfilingSetup.AddServices(builder.Services, options, management);
        builder.AddTracesAndLogs(options);
        builder.Services.AddHostedService<StartupSummary>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DuplicateExportCheck>());
        return builder;
    }

    // Per-host Prometheus registry with the request, DB, runtime and package-health metrics; the profiler's
    // counters join it (it is the CollectorRegistry of the container).
    private static void AddMetricsRegistry(this IHostApplicationBuilder builder, ObservabilityOptions options)
    {
        var meters = new MeterSelection(builder.Environment.ApplicationName, options.Metrics.Meters);
        builder.Services.AddSingleton(sp => new HostingMetrics(sp.GetService<IMeterFactory>(), meters,
            publishMeters: options.Metrics.Exporters.HasFlag(MetricsExporters.Prometheus)));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<HostingMetrics>().Registry);
        // Meters an app adds to the OpenTelemetry meter provider join /metrics once it is built (see AddTracesAndLogs).
        if (options.Metrics.Exporters.HasFlag(MetricsExporters.Prometheus))
        {
            var kitMeters = MetricsSetup.KitMeters(meters);
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ProviderMeterPublisher>(sp, kitMeters));
        }
    }

    // The web host registers DistributedContextPropagator.Current for its server spans; wrap it (or whatever the app
    // registered before this call) so that baggage is parsed within the W3C limits.
    private static void BoundIncomingBaggage(this IHostApplicationBuilder builder)
    {
        var existing = builder.Services.LastOrDefault(d => d.ServiceType == typeof(DistributedContextPropagator));
        var inner = existing?.ImplementationInstance as DistributedContextPropagator ?? DistributedContextPropagator.Current;
        builder.Services.RemoveAll<DistributedContextPropagator>();
        builder.Services.AddSingleton<DistributedContextPropagator>(new BoundedBaggagePropagator(inner));
    }

    // The first middleware of the public pipeline (through a startup filter): k6 baggage onto the span and the
    // bounded labels, the in-flight gauge and the request histogram with exemplars.
    private static void AddRequestMiddleware(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new LoadTestCorrelation(
            sp.GetRequiredService<IOptions<ObservabilityOptions>>().Value.LoadTest, sp.GetRequiredService<HostingMetrics>()));
        builder.Services.AddTransient<IStartupFilter, ObservabilityStartupFilter>();
    }

    // /metrics and whatever else registers an endpoint (the profiler's /debug/pprof) on their own port, never in
    // the public pipeline unless asked for.
    private static ManagementEndpointRegistrations AddManagementListener(this IHostApplicationBuilder builder)
    {
        var endpoints = new ManagementEndpointRegistrations();
        builder.Services.AddSingleton(endpoints);
        builder.Services.AddSingleton<ManagementRequestHandler>();
        builder.Services.AddSingleton<ManagementServer>();
        builder.Services.AddSingleton<IManagementEndpoint>(sp => sp.GetRequiredService<ManagementServer>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ManagementServer>());
        return endpoints;
    }

    // OpenTelemetry tracing, and logs and metrics when they are exported, with the resource from ServiceName and
    // OTEL_RESOURCE_ATTRIBUTES. Without an endpoint no logger provider is added: logging costs nothing more.
    private static void AddTracesAndLogs(this IHostApplicationBuilder builder, ObservabilityOptions options)
    {
        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(options.ServiceName!)
                .AddAttributes(options.ResourceAttributes.Select(pair => new KeyValuePair<string, object>(pair.Key, pair.Value))))
            .WithTracing(tracing => TracingSetup.Configure(tracing, options, builder.Environment.ApplicationName));
        if (LoggingSetup.IsOn(options))
            telemetry.WithLogging(logs => LoggingSetup.Configure(logs, options), logger => LoggingSetup.ConfigureLogger(logger, options));
        // OTEL_METRICS_EXPORTER=otlp: the same meters as /metrics, pushed; without it no meter provider exists.
        if (MetricsSetup.IsOn(options))
            telemetry.WithMetrics(metrics => MetricsSetup.Configure(metrics, options, builder.Environment.ApplicationName, builder.Configuration));
        // /metrics alone: a provider with no reader (it takes no measurement), so that an app's
        // ConfigureOpenTelemetryMeterProvider(AddMeter) runs, once, and ProviderMeterPublisher can publish its meters.
        else if (options.Metrics.Exporters.HasFlag(MetricsExporters.Prometheus))
            telemetry.WithMetrics();
        // The app's own AddOtlpExporter() lands in the same providers: the kit leaves it a signal it sends to the
        // same URL, and warns when it sends elsewhere (every span or record would go to both).
        builder.Services.AddSingleton<DuplicateExportCheck>();
    }

    private sealed class ObservabilityMarker;
}
