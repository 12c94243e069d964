using System.Net;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Observability.Hosting.Implementation;

/// <summary>
/// A second, small Kestrel server for the management paths, started and stopped with the host. A port that
/// cannot be bound is logged, not fatal: the app keeps serving its users without its management listener.
/// </summary>
internal sealed class ManagementServer(
    IServiceProvider services,
    IOptions<ObservabilityOptions> options,
    ManagementRequestHandler handler,
    ILoggerFactory loggerFactory) : IHostedService, IManagementEndpoint, IDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Observability.Hosting.Management");
    private KestrelServer? _server;

    public int Port { get; private set; }

    public Uri? BaseAddress { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Management;
        if (!settings.Enabled) return;
        var kestrelOptions = new KestrelServerOptions { ApplicationServices = services, AddServerHeader = false };
        kestrelOptions.Limits.MaxConcurrentConnections = 64;
        kestrelOptions.Limits.MaxRequestBodySize = 16 * 1024;
        var address = settings.Address switch
        {
            null or "localhost" => IPAddress.Loopback,
            "*" => IPAddress.Any,
            var text => IPAddress.Parse(text),
        };
        kestrelOptions.Listen(address, settings.Port);

        var transport = new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory);
        var kestrel = new KestrelServer(Options.Create(kestrelOptions), transport, loggerFactory);
        try
        {
            await kestrel.StartAsync(new ManagementHttpApplication(services, handler), cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or System.Net.Sockets.SocketException)
        {
            _logger.LogError(exception, "Observability management listener could not bind {Address}:{Port}; /metrics and /debug/pprof are not served", address, settings.Port);
            kestrel.Dispose();
            return;
        }
        _server = kestrel;
        var bound = kestrel.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (bound is not null && Uri.TryCreate(bound, UriKind.Absolute, out var uri))
        {
            Port = uri.Port;
            var host = address.Equals(IPAddress.Any) ? "127.0.0.1" : uri.Host;
            BaseAddress = new Uri($"http://{host}:{uri.Port}/");
        }
        _logger.LogInformation("Observability management listener on {Address}:{Port} (/metrics, /debug/pprof)", address, Port);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null) return;
        await _server.StopAsync(cancellationToken);
    }

    public void Dispose() => _server?.Dispose();
}
