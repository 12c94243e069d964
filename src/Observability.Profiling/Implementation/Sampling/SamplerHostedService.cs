using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Profiles;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>Attaches the host's hub to the process-wide sampler; never blocks startup (the session opens on its own thread).</summary>
internal sealed class SamplerHostedService : IHostedService
{
    private readonly ProfileHub _hub;
    private readonly ILogger<SamplerHostedService> _logger;

    public SamplerHostedService(ProfileHub hub, ILogger<SamplerHostedService> logger)
    {
        _hub = hub;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_hub.Options.Enabled && _hub.Options.SamplerEnabled && _hub.Options.Mode != ProfilingMode.Off) EventPipeSampler.Attach(_hub, _logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // The scheduler closes the session when no host is left.
        EventPipeSampler.Detach(_hub);
        return Task.CompletedTask;
    }
}
