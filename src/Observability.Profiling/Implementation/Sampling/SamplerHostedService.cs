using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Perf;
using Observability.Profiling.Implementation.Profiles;

namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// Attaches the host's hub to the process-wide samplers: perf events for CPU profiles where the kernel allows them
/// (<see cref="ProfilingOptions.CpuSampler"/>), EventPipe sessions for wall profiles and, when perf events are refused
/// or not wanted, for CPU profiles too. Never blocks startup for long (opening perf events takes milliseconds; the
/// EventPipe session opens on its own thread).
/// </summary>
internal sealed class SamplerHostedService : IHostedService
{
    private readonly ProfileHub _hub;
    private readonly ILogger<SamplerHostedService> _logger;
    private readonly EventPipeSessionControl _eventPipe;
    private readonly PerfOpener? _perfOpener;
    private bool _perf;

    /// <param name="hub">Where this host's samples go.</param>
    /// <param name="logger">Says once which sampler takes CPU samples, and why perf events were refused.</param>
    /// <param name="eventPipe">The EventPipe session control this host attaches to (production: the process's one).</param>
    /// <param name="perfOpener">Stands in for the kernel when registered (tests simulate a refusal with it); null in production.</param>
    public SamplerHostedService(ProfileHub hub, ILogger<SamplerHostedService> logger, EventPipeSessionControl eventPipe, PerfOpener? perfOpener = null)
    {
        _hub = hub;
        _logger = logger;
        _eventPipe = eventPipe;
        _perfOpener = perfOpener;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var options = _hub.Options;
        if (!options.Enabled || options.Mode == ProfilingMode.Off) return Task.CompletedTask;
        if (options.CpuSampler != CpuSamplerKind.EventPipe && SamplerGate.OffReason(Environment.GetEnvironmentVariable) is null)
        {
            var refusal = PerfCpuSampling.Attach(_hub, _logger, out var firstRefusal, _perfOpener);
            _perf = refusal is null;
            if (firstRefusal)
            {
                _logger.Log(
                    options.CpuSampler is CpuSamplerKind.Perf or CpuSamplerKind.PerfCpuWide ? LogLevel.Error : LogLevel.Warning,
                    "CPU profiles use EventPipe bursts instead of perf events: {Reason}", refusal);
            }
        }
        _eventPipe.Router.CpuFromPerf = PerfCpuSampling.Current is not null;
        _hub.Metrics.SetSampler(_perf ? "perf" : _eventPipe.AsCpuSampler.Name);
        _eventPipe.Attach(_hub, _logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        // The scheduler closes the session when no host is left; the perf sampler stops with its last host.
        _eventPipe.Detach(_hub);
        if (_perf) PerfCpuSampling.Detach(_hub);
        _eventPipe.Router.CpuFromPerf = PerfCpuSampling.Current is not null;
        return Task.CompletedTask;
    }
}
