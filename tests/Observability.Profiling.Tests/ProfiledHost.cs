using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Perf;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Sampling;
using Observability.Profiling.Implementation.Spans;
using OpenTelemetry;
using OpenTelemetry.Trace;
using TestSupport;

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

    public static async Task<ProfiledHost> StartAsync(
        Action<ProfilingOptions>? configure = null, Action<WebApplication>? map = null, Action<IServiceCollection>? services = null, bool rundown = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        // A test's hot method may have been compiled again between sessions (a perf test before it ran it): EventPipe
        // names such code only after a rundown, which bursts run now and then. A test of EventPipe's CPU samples asks for one.
        if (rundown) SamplingSession.RundownOverride = true;
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddObservabilityProfiling(o =>
        {
            o.ApplicationName = "profiling-tests";
            // Most tests read samples as they come: they sample all the time; the scheduler's own tests pick auto.
            o.Mode = ProfilingMode.Continuous;
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
        return new ProfiledHost(app, tracer, new Uri(address)) { _rundown = rundown };
    }

    /// <summary>Waits until the CPU sampler of <paramref name="kind"/> delivers samples (perf events, or the EventPipe session).</summary>
    public static Task WaitForCpuSamplerAsync(CpuSamplerKind kind)
    {
        if (kind != CpuSamplerKind.Perf) return WaitForSamplerAsync();
        var perf = PerfCpuSampling.Current;
        Assert.True(perf is not null, "the perf sampler is not running");
        var seen = perf!.Samples;
        return Eventually.HoldsAsync(() => perf.Samples > seen, TimeSpan.FromSeconds(30), "the perf sampler delivering samples", interval: TimeSpan.FromMilliseconds(50));
    }

    /// <summary>Waits until the process-wide EventPipe session delivers samples.</summary>
    public static Task WaitForSamplerAsync()
    {
        var seen = EventPipeSampler.Shared.SamplesSeen;
        return Eventually.HoldsAsync(
            () =>
            {
                // A sampler that failed or is off will not recover: fail now, with its reason.
                Assert.False(EventPipeSampler.Shared.State is SamplerState.Failed or SamplerState.Off, EventPipeSampler.Shared.Reason);
                return EventPipeSampler.Shared.State == SamplerState.Running && EventPipeSampler.Shared.SamplesSeen > seen;
            },
            TimeSpan.FromSeconds(60),
            "the EventPipe sampler delivering samples",
            () => $"{EventPipeSampler.Shared.State} {EventPipeSampler.Shared.Reason}",
            TimeSpan.FromMilliseconds(50));
    }

    private bool _rundown;

    public async ValueTask DisposeAsync()
    {
        if (_rundown) SamplingSession.RundownOverride = null;
        Client.Dispose();
        Tracer.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
