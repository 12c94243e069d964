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

    private readonly EventPipeSessionControl? _owned;

    private ProfiledHost(WebApplication app, TracerProvider tracer, Uri address, EventPipeSessionControl? owned)
    {
        App = app;
        Tracer = tracer;
        _owned = owned;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public TracerProvider Tracer { get; }

    public HttpClient Client { get; }

    public ProfileHub Hub => App.Services.GetRequiredService<ProfileHub>();

    /// <summary>The EventPipe session control this host attached to: the process's shared one, or the test's own.</summary>
    public EventPipeSessionControl EventPipe => App.Services.GetRequiredService<EventPipeSessionControl>();

    public static async Task<ProfiledHost> StartAsync(
        Action<ProfilingOptions>? configure = null, Action<WebApplication>? map = null, Action<IServiceCollection>? services = null, bool rundown = false)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        services?.Invoke(builder.Services);
        // A test's hot method may have been compiled again between sessions (a perf test before it ran it): EventPipe
        // names such code only after a rundown, which bursts run now and then. A test of EventPipe's CPU samples asks for
        // one in every session, from a control of its own (registered before the kit's shared one) that ends with the host.
        var owned = rundown ? new EventPipeSessionControl(new EventPipeSessionSettings { RundownOverride = true }) : null;
        if (owned is not null) builder.Services.AddSingleton(owned);
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
        return new ProfiledHost(app, tracer, new Uri(address), owned);
    }

    /// <summary>Waits until the CPU sampler of <paramref name="kind"/> delivers samples (perf events, or the EventPipe session).</summary>
    public Task WaitForCpuSamplerAsync(CpuSamplerKind kind)
    {
        if (kind != CpuSamplerKind.Perf) return WaitForSamplerAsync();
        var perf = PerfCpuSampling.Current;
        Assert.True(perf is not null, "the perf sampler is not running");
        var seen = perf!.Samples;
        return Eventually.HoldsAsync(() => perf.Samples > seen, TimeSpan.FromSeconds(30), "the perf sampler delivering samples", interval: TimeSpan.FromMilliseconds(50));
    }

    /// <summary>Waits until this host's EventPipe session control delivers samples.</summary>
    public Task WaitForSamplerAsync()
    {
        var control = EventPipe;
        var seen = control.SamplesSeen;
        return Eventually.HoldsAsync(
            () =>
            {
                // A sampler that failed or is off will not recover: fail now, with its reason.
                Assert.False(control.State is SamplerState.Failed or SamplerState.Off, control.Reason);
                return control.State == SamplerState.Running && control.SamplesSeen > seen;
            },
            TimeSpan.FromSeconds(60),
            "the EventPipe sampler delivering samples",
            () => $"{control.State} {control.Reason}",
            TimeSpan.FromMilliseconds(50));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Tracer.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _owned?.Dispose();
    }
}
