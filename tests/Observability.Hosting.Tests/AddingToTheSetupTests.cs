using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace Observability.Hosting.Tests;

/// <summary>The documented way to add to the kit's tracer provider after <c>AddObservability()</c>.</summary>
public sealed class AddingToTheSetupTests
{
    [Fact]
    public void Sources_added_through_the_usual_OpenTelemetry_builder_join_the_same_provider()
    {
        var name = "Vendor.Library." + Guid.NewGuid().ToString("N");
        using var source = new ActivitySource(name);

        using var withoutHost = BuildHost(addSource: null);
        withoutHost.Services.GetRequiredService<TracerProvider>();
        Assert.Null(source.StartActivity("before"));

        using var host = BuildHost(addSource: name);
        host.Services.GetRequiredService<TracerProvider>();
        using var activity = source.StartActivity("after");
        Assert.NotNull(activity);
    }

    private static IHost BuildHost(string? addSource)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ApplicationName = "adding-tests" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ObservabilityConfigKeys.ManagementEnabled] = "false",
            [ObservabilityConfigKeys.ProfilingEnabled] = "false",
        });
        builder.AddObservability();
        if (addSource is not null) builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddSource(addSource));
        return builder.Build();
    }
}
