using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Observability.Hosting.Implementation;

/// <summary>
/// A second, small Kestrel server for the management paths, started once the app's own server listens (so a port the
/// app wants is the app's) and stopped with the host. A port that cannot be bound, or that the app itself serves on,
/// is logged, not fatal: the app keeps serving its users without its management listener.
/// </summary>
internal sealed class ManagementServer(
    IServiceProvider services,
    IOptions<ObservabilityOptions> options,
    ManagementRequestHandler handler,
    ILoggerFactory loggerFactory) : IHostedLifecycleService, IManagementEndpoint, IDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Observability.Hosting.Management");
    private KestrelServer? _server;

    public int Port { get; private set; }

    public Uri? BaseAddress { get; private set; }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // After every hosted service started, the web host's among them: the app's ports are bound and known.
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Management;
        if (!settings.Enabled) return;
        if (settings.Port != 0 && AppPorts().Contains(settings.Port))
        {
            _logger.LogWarning("Observability management listener not started: Observability:Management:Port {Port} is the app's own port; /metrics and /debug/pprof are not served. Set another port (the default is 9464)", settings.Port);
            return;
        }
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

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server is null) return;
        await _server.StopAsync(cancellationToken);
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // The ports the app's server listens on (none for a worker service or a test server).
    private HashSet<int> AppPorts()
    {
        var ports = new HashSet<int>();
        var addresses = (services.GetService(typeof(IServer)) as IServer)?.Features.Get<IServerAddressesFeature>()?.Addresses;
        foreach (var address in addresses ?? [])
        {
            // Kestrel reports wildcard hosts as http://[::]:8080 or http://+:8080; the port is after the last colon.
            var colon = address.LastIndexOf(':');
            var end = address.IndexOf('/', colon + 1);
            var text = end < 0 ? address[(colon + 1)..] : address[(colon + 1)..end];
            if (colon > 0 && int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port)) ports.Add(port);
        }
        return ports;
    }

    public void Dispose() => _server?.Dispose();
}
