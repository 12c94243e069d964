using System.Net.Sockets;
using System.Text;

namespace Faults.Tests.Implementation;

/// <summary>
/// Sends one HTTP/1.1 request as exact bytes over a socket, so tests can send what HttpClient refuses to
/// (raw CR in a header value, bytes that are not UTF-8), and returns the status code (0 if the server answered
/// nothing before closing).
/// </summary>
internal static class RawHttp
{
    public static async Task<int> GetAsync(Uri server, string pathAndQuery, string? bearerToken, params byte[][] headerLines)
    {
        using var socket = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await socket.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = socket.GetStream();
        using var request = new MemoryStream();
        void Write(string text) => request.Write(Encoding.ASCII.GetBytes(text));
        Write($"GET {pathAndQuery} HTTP/1.1\r\nHost: {server.Host}:{server.Port}\r\nConnection: close\r\n");
        if (bearerToken is not null)
        {
            Write($"Authorization: Bearer {bearerToken}\r\n");
        }

        foreach (var line in headerLines)
        {
            request.Write(line);
            Write("\r\n");
        }

        Write("\r\n");
        await stream.WriteAsync(request.ToArray(), timeout.Token);

        var buffer = new byte[64 * 1024];
        var received = new MemoryStream();
        int read;
        while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        var text = Encoding.Latin1.GetString(received.ToArray());
        // "HTTP/1.1 200 OK"
        return text.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && text.Length >= 12 && int.TryParse(text.AsSpan(9, 3), out var status)
            ? status
            : 0;
    }

    /// <summary>A header line from text (ASCII, with any control characters it contains).</summary>
    public static byte[] Header(string name, string value) => Encoding.Latin1.GetBytes($"{name}: {value}");

    /// <summary>A header line whose value is raw bytes.</summary>
    public static byte[] Header(string name, byte[] value) => [.. Encoding.ASCII.GetBytes($"{name}: "), .. value];
}
