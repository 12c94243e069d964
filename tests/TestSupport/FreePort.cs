using System.Net;
using System.Net.Sockets;

namespace TestSupport;

/// <summary>Free TCP ports on loopback for the servers the tests start.</summary>
public static class FreePort
{
    /// <summary>A port that was free a moment ago on 127.0.0.1 (the OS picks it, so parallel tests rarely collide).</summary>
    public static int Tcp()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
