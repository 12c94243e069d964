using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Sampling;
using Observability.Profiling.Implementation.Spans;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Observability.Profiling.Tests;

/// <summary>A small web app on loopback with the profiler and an OpenTelemetry tracer provider that uses its processor.</summary>
internal sealed class ProfiledHost : IAsyncDisposable
{
    public const string SourceName = "Observability.Profiling.Tests";
    public static readonly ActivitySource Source = new(SourceName);

    private ProfiledHost(WebApplication app, TracerProvider tracer, Uri address)
    {
        App = app;
        Tracer = tracer;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public TracerProvider Tracer { get; }

    public HttpClient Client { get; }

    public ProfileHub Hub => App.Services.GetRequiredService<ProfileHub>();

    public static async Task<ProfiledHost> StartAsync(Action<ProfilingOptions>? configure = null, Action<WebApplication>? map = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddObservabilityProfiling(o =>
        {
            o.ApplicationName = "profiling-tests";
            configure?.Invoke(o);
        });
        var app = builder.Build();
        app.MapProfilingEndpoints();
        app.MapGet("/ping", () => "pong");
        map?.Invoke(app);
        await app.StartAsync();

        var tracer = Sdk.CreateTracerProviderBuilder()
            .AddSource(SourceName, "Npgsql")
            .SetSampler(new AlwaysOnSampler())
            .AddProcessor(app.Services.GetRequiredService<SpanProfileProcessor>())
            .Build();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new ProfiledHost(app, tracer, new Uri(address));
    }

    /// <summary>Waits until the process-wide EventPipe session delivers samples.</summary>
    public static async Task WaitForSamplerAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var seen = EventPipeSampler.SamplesSeen;
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(EventPipeSampler.State is SamplerState.Failed or SamplerState.Off, EventPipeSampler.Reason);
            if (EventPipeSampler.State == SamplerState.Running && EventPipeSampler.SamplesSeen > seen) return;
            await Task.Delay(50);
        }
        Assert.Fail($"sampler did not deliver samples: {EventPipeSampler.State} {EventPipeSampler.Reason}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Tracer.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
