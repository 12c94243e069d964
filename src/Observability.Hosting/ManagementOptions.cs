namespace Observability.Hosting;

/// <summary>The management listener: its own Kestrel server for <c>/metrics</c> and <c>/debug/pprof/*</c>.</summary>
public sealed class ManagementOptions
{
    /// <summary>The default management port.</summary>
    public const int DefaultPort = 9464;

    /// <summary>When false no management listener is started (metrics are still recorded).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Port; 0 picks a free one (see <see cref="IManagementEndpoint.Port"/>).</summary>
    public int Port { get; set; } = DefaultPort;

    /// <summary>
    /// Address to bind. Default: <c>0.0.0.0</c> inside a container (<c>DOTNET_RUNNING_IN_CONTAINER=true</c>, where
    /// Prometheus must reach it from another container), else <c>127.0.0.1</c>.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>
    /// Also serve the management paths on the public port. Off by default: profiles and metrics reveal code
    /// structure and a profile request costs CPU, so they should not be reachable by the public.
    /// </summary>
    public bool PublicPortExposure { get; set; }
}
