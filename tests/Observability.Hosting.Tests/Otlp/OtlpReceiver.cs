using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Observability.Hosting.Tests.Otlp;

/// <summary>
/// An OTLP trace receiver inside the test: <c>POST /v1/traces</c> (HTTP/protobuf, HTTP/1.1) and the gRPC
/// <c>TraceService/Export</c> method (HTTP/2 without TLS), both decoding ExportTraceServiceRequest.
/// Keeps every raw body so tests can search the exported bytes for secrets.
/// </summary>
internal sealed class OtlpReceiver : IAsyncDisposable
{
    private const string GrpcPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<byte[]> _bodies = new();
    private readonly SemaphoreSlim _received = new(0);

    private OtlpReceiver(WebApplication app, int httpPort, int grpcPort)
    {
        _app = app;
        HttpEndpoint = new Uri($"http://127.0.0.1:{httpPort}");
        GrpcEndpoint = new Uri($"http://127.0.0.1:{grpcPort}");
    }

    public Uri HttpEndpoint { get; }

    public Uri GrpcEndpoint { get; }

    public IReadOnlyCollection<ReceivedSpan> Spans => _spans;

    /// <summary>When set, export requests wait for it before being answered (a slow backend).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>All request bodies received so far, concatenated (for secret searches).</summary>
    public byte[] AllBytes() => _bodies.SelectMany(body => body).ToArray();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var httpPort = TestSupport.FreePort.Tcp();
        var grpcPort = TestSupport.FreePort.Tcp();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The receiver lives in the test process: its own request activities must not be seen by the app's tracer,
        // or every export would produce spans to export. A private source and listener keep it silent.
        builder.Services.AddSingleton(new DiagnosticListener("Observability.Tests.Receiver"));
        builder.Services.AddSingleton<DiagnosticSource>(sp => sp.GetRequiredService<DiagnosticListener>());
        builder.Services.AddSingleton(new ActivitySource("Observability.Tests.Receiver"));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, httpPort, listen => listen.Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
        });
        var _app = builder.Build();
        var receiver = new OtlpReceiver(_app, httpPort, grpcPort);
        _app.MapPost("/v1/traces", receiver.HandleHttpAsync);
        _app.MapPost(GrpcPath, receiver.HandleGrpcAsync);
        await _app.StartAsync();
        return receiver;
    }

    /// <summary>Waits until the spans received so far satisfy <paramref name="done"/>; returns them.</summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForAsync(Func<IReadOnlyList<ReceivedSpan>, bool> done, TimeSpan timeout, string what = "")
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var snapshot = _spans.ToList();
            if (done(snapshot)) return snapshot;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || !await _received.WaitAsync(left))
                throw new TimeoutException($"OTLP receiver: {what} not seen within {timeout}; spans: " +
                    string.Join("; ", _spans.Select(s => $"{s.Name} {s.TraceId}/{s.SpanId}<-{s.ParentSpanId}")));
        }
    }

    private async Task HandleHttpAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request);
        if (Gate is { } gate) await gate.Task;
        Accept(body);
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task HandleGrpcAsync(HttpContext context)
    {
        var body = await ReadBodyAsync(context.Request);
        // gRPC framing: 1 byte compressed flag, 4 bytes big-endian length, then the message.
        var offset = 0;
        while (offset + 5 <= body.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1, 4));
            Accept(body.AsSpan(offset + 5, length).ToArray());
            offset += 5 + length;
        }
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(new byte[5]); // an empty ExportTraceServiceResponse
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private void Accept(byte[] body)
    {
        _bodies.Enqueue(body);
        foreach (var span in OtlpTraceDecoder.Decode(body)) _spans.Enqueue(span);
        _received.Release();
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        if (request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase))
        {
            await using var gzip = new GZipStream(request.Body, CompressionMode.Decompress);
            await gzip.CopyToAsync(buffer);
        }
        else
        {
            await request.Body.CopyToAsync(buffer);
        }
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _received.Dispose();
    }
}
