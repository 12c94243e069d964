using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Tells the operator when OTLP export of one signal stops working, once per outage: a warning at the first failed
/// batch after a success (or after start), an information line when a batch goes through again. Between the two,
/// failures are only counted (<c>observability_export_failures_total</c>), so a collector that is down for a day
/// writes two lines, not thousands. Called from one export thread per signal. The logger is resolved at the first
/// line, not when the exporter is built: the log exporter is built while the logger factory itself is.
/// </summary>
internal sealed class ExportOutageLog(IServiceProvider services, string signal, Uri endpoint, string protocol)
{
    private long _failedBatches;
    private bool _down;
    private ILogger? _logger;

    // Never throws: it runs on the export thread, which may outlive the host's container at shutdown.
    private void Tell(Action<ILogger> write)
    {
        try
        {
            write(_logger ??= services.GetRequiredService<ILoggerFactory>().CreateLogger("Observability.Hosting.Export"));
        }
        catch (ObjectDisposedException)
        {
            // The last export of a host that is shutting down: the container is gone, and with it the log.
        }
    }

    public void Succeeded()
    {
        if (!_down) return;
        _down = false;
        var failed = _failedBatches;
        Tell(logger => logger.LogInformation("OTLP {Signal} export to {Endpoint} works again after {FailedBatches} failed batches", signal, EndpointText.Safe(endpoint), failed));
        _failedBatches = 0;
    }

    public void Failed()
    {
        _failedBatches++;
        if (_down) return;
        _down = true;
        Tell(logger => logger.LogWarning(
            "OTLP {Signal} export to {Endpoint} ({Protocol}) failed; {Signal} are dropped and counted (observability_export_failures_total) until it works again. " +
            "Check OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_PROTOCOL: a collector takes grpc on 4317 and http/protobuf on 4318",
            signal, EndpointText.Safe(endpoint), protocol, signal));
    }
}
