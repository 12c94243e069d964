using System.Collections.Concurrent;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using TestSupport;
using TestSupport.Otlp;

namespace Faults.Tests.Implementation;

/// <summary>
/// Stands in for the OpenTelemetry collector (OTLP http/protobuf <c>/v1/traces</c>) and Pyroscope (<c>/ingest</c>,
/// <c>/push.v1.PusherService/Push</c>) on a loopback port, in one of the <see cref="BackendMode"/>s. Keeps the
/// (decompressed) bodies it received, up to a bound, so tests can look inside them.
/// </summary>
internal sealed class FakeBackend : IAsyncDisposable
{
    private const int MaxKeptBodies = 5000;
    private readonly ConcurrentQueue<Received> _received = new();
    private readonly ConcurrentDictionary<string, int> _hits = new();
    private WebApplication? _app;
    private TcpListener? _blackHole;
    private readonly List<TcpClient> _heldConnections = [];
    private CancellationTokenSource? _stopAccepting;

    private FakeBackend(BackendMode mode, int port)
    {
        Mode = mode;
        Port = port;
    }

    public sealed record Received(string Path, string Query, byte[] Body);

    public BackendMode Mode { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public IReadOnlyCollection<Received> Bodies => _received.ToArray();

    /// <summary>Requests that reached a handler (any mode but Refuse/BlackHole), per path.</summary>
    public int Hits(string path) => _hits.GetValueOrDefault(path);

    /// <summary>TCP connections accepted and held in black-hole mode.</summary>
    public int HeldConnections
    {
        get
        {
            lock (_heldConnections)
            {
                return _heldConnections.Count;
            }
        }
    }

    public static async Task<FakeBackend> StartAsync(BackendMode mode)
    {
        var backend = new FakeBackend(mode, FreePort.Tcp());
        switch (mode)
        {
            case BackendMode.Refuse:
                break;
            case BackendMode.BlackHole:
                backend.StartBlackHole();
                break;
            default:
                await backend.StartHttpAsync();
                break;
        }

        return backend;
    }

    private async Task StartHttpAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(BaseAddress.ToString());
        _app = builder.Build();
        foreach (var path in new[] { "/v1/traces", "/ingest", "/push.v1.PusherService/Push" })
        {
            _app.MapPost(path, HandleAsync);
        }

        await _app.StartAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        _hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
        if (Mode == BackendMode.Unavailable)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var body = buffer.ToArray();
        if (context.Request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            body = Gunzip(body);
        }

        if (_received.Count < MaxKeptBodies)
        {
            _received.Enqueue(new Received(path, context.Request.QueryString.Value ?? "", body));
        }

        // An empty protobuf message (zero bytes) is a valid ExportTraceServiceResponse and PushResponse.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = path == "/v1/traces" ? "application/x-protobuf" : "application/proto";
    }

    private void StartBlackHole()
    {
        _blackHole = new TcpListener(IPAddress.Loopback, Port);
        _blackHole.Start();
        _stopAccepting = new CancellationTokenSource();
        var token = _stopAccepting.Token;
        _ = Task.Run(async () =>
        {
            while (!token.IsCancellationRequested)
            {
                try
                {
                    var client = await _blackHole.AcceptTcpClientAsync(token);
                    lock (_heldConnections)
                    {
                        _heldConnections.Add(client);
                    }
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (SocketException)
                {
                    return;
                }
            }
        }, token);
    }

    public static byte[] Gunzip(byte[] body)
    {
        if (body.Length < 2 || body[0] != 0x1f || body[1] != 0x8b)
        {
            return body;
        }

        using var input = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var output = new MemoryStream();
        input.CopyTo(output);
        return output.ToArray();
    }

    /// <summary>Every span received on <c>/v1/traces</c> so far.</summary>
    public IReadOnlyList<ReceivedSpan> Spans() =>
        Bodies.Where(b => b.Path == "/v1/traces").SelectMany(b => OtlpTraceDecoder.Decode(b.Body)).ToList();

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        if (_stopAccepting is not null)
        {
            await _stopAccepting.CancelAsync();
            _stopAccepting.Dispose();
        }

        _blackHole?.Stop();
        lock (_heldConnections)
        {
            foreach (var client in _heldConnections)
            {
                client.Dispose();
            }
        }
    }
}
