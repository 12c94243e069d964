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

namespace TestSupport.Otlp;

/// <summary>
/// An OTLP receiver on loopback for traces, logs and metrics: <c>POST /v1/traces</c>, <c>/v1/logs</c> and
/// <c>/v1/metrics</c> (HTTP/protobuf, HTTP/1.1, gzip or not) on <see cref="HttpEndpoint"/> and the gRPC
/// <c>TraceService/Export</c>, <c>LogsService/Export</c> and <c>MetricsService/Export</c> methods (HTTP/2 without TLS)
/// on <see cref="GrpcEndpoint"/>. Keeps every decoded span, log record and metric point and every raw body (for secret
/// searches). Each signal has its own path, decoder and list.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private const string TracesPath = "/v1/traces";
    private const string GrpcTracesPath = "/opentelemetry.proto.collector.trace.v1.TraceService/Export";
    private const string LogsPath = "/v1/logs";
    private const string GrpcLogsPath = "/opentelemetry.proto.collector.logs.v1.LogsService/Export";
    private const string MetricsPath = "/v1/metrics";
    private const string GrpcMetricsPath = "/opentelemetry.proto.collector.metrics.v1.MetricsService/Export";
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedMetricPoint> _metrics = new();
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentQueue<ReceivedLogRecord> _logs = new();
    private readonly ConcurrentQueue<byte[]> _bodies = new();
    private readonly ConcurrentQueue<(string Path, IReadOnlyDictionary<string, string> Headers)> _requests = new();
    private TaskCompletionSource _arrived = NewSignal();

    private OtlpReceiver(WebApplication app) => _app = app;

    /// <summary>The base address for OTLP/HTTP (exporters append <c>/v1/traces</c>).</summary>
    public Uri HttpEndpoint { get; private set; } = null!;

    /// <summary>The address for OTLP/gRPC.</summary>
    public Uri GrpcEndpoint { get; private set; } = null!;

    /// <summary>Every span received so far, in arrival order.</summary>
    public IReadOnlyCollection<ReceivedSpan> Spans => _spans;

    /// <summary>Every log record received so far, in arrival order.</summary>
    public IReadOnlyCollection<ReceivedLogRecord> Logs => _logs;

    /// <summary>Every metric data point received so far, in arrival order (cumulative points repeat at each export).</summary>
    public IReadOnlyCollection<ReceivedMetricPoint> Metrics => _metrics;

    /// <summary>The path and headers (names lower-case) of every export request so far, in arrival order.</summary>
    public IReadOnlyCollection<(string Path, IReadOnlyDictionary<string, string> Headers)> Requests => _requests;

    /// <summary>When set, export requests wait for it before being answered (a slow backend).</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>All request bodies received so far (decompressed), concatenated.</summary>
    public byte[] AllBytes() => _bodies.SelectMany(body => body).ToArray();

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        // The receiver may live in the process of the app under test: its own request activities must not reach the
        // app's tracer, or every export would produce spans to export. A private source and listener keep it silent.
        builder.Services.AddSingleton(new DiagnosticListener("TestSupport.OtlpReceiver"));
        builder.Services.AddSingleton<DiagnosticSource>(sp => sp.GetRequiredService<DiagnosticListener>());
        builder.Services.AddSingleton(new ActivitySource("TestSupport.OtlpReceiver"));
        ListenOptions? http = null, grpc = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0, listen => (http = listen).Protocols = HttpProtocols.Http1);
            kestrel.Listen(IPAddress.Loopback, 0, listen => (grpc = listen).Protocols = HttpProtocols.Http2);
        });
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.MapPost(TracesPath, context => receiver.HandleHttpAsync(context, receiver.AcceptTraces));
        app.MapPost(GrpcTracesPath, context => receiver.HandleGrpcAsync(context, receiver.AcceptTraces));
        app.MapPost(LogsPath, context => receiver.HandleHttpAsync(context, receiver.AcceptLogs));
        app.MapPost(GrpcLogsPath, context => receiver.HandleGrpcAsync(context, receiver.AcceptLogs));
        app.MapPost(MetricsPath, context => receiver.HandleHttpAsync(context, receiver.AcceptMetrics));
        app.MapPost(GrpcMetricsPath, context => receiver.HandleGrpcAsync(context, receiver.AcceptMetrics));
        await app.StartAsync();
        // Kestrel writes the port it bound (asked for 0) back into the listen options.
        receiver.HttpEndpoint = new Uri($"http://127.0.0.1:{http!.IPEndPoint!.Port}");
        receiver.GrpcEndpoint = new Uri($"http://127.0.0.1:{grpc!.IPEndPoint!.Port}");
        return receiver;
    }

    /// <summary>
    /// Waits until the spans received so far satisfy <paramref name="done"/> and returns them; woken by each
    /// arrival. Throws <see cref="TimeoutException"/> naming <paramref name="what"/> and listing the spans seen.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedSpan>> WaitForSpansAsync(
        Func<IReadOnlyList<ReceivedSpan>, bool> done, TimeSpan timeout, string what)
    {
        if (await TryWaitForSpansAsync(done, timeout) is { } spans)
        {
            return spans;
        }

        throw new TimeoutException($"OTLP receiver: {what} not seen within {timeout.TotalSeconds:0.#} s; spans: " +
            string.Join("; ", _spans.Select(s => $"{s.Name} {s.TraceId}/{s.SpanId}<-{s.ParentSpanId}")));
    }

    /// <summary>As <see cref="WaitForSpansAsync"/>, but returns null at the timeout (for a bounded best-effort wait).</summary>
    public Task<IReadOnlyList<ReceivedSpan>?> TryWaitForSpansAsync(Func<IReadOnlyList<ReceivedSpan>, bool> done, TimeSpan timeout) =>
        TryWaitAsync(_spans, done, timeout);

    /// <summary>
    /// Waits until the log records received so far satisfy <paramref name="done"/> and returns them; woken by each
    /// arrival. Throws <see cref="TimeoutException"/> naming <paramref name="what"/> and listing the records seen.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedLogRecord>> WaitForLogsAsync(
        Func<IReadOnlyList<ReceivedLogRecord>, bool> done, TimeSpan timeout, string what)
    {
        if (await TryWaitAsync(_logs, done, timeout) is { } records)
        {
            return records;
        }

        throw new TimeoutException($"OTLP receiver: {what} not seen within {timeout.TotalSeconds:0.#} s; log records: " +
            string.Join("; ", _logs.Select(r => $"{r.ScopeName} '{r.Body}' {r.TraceId}/{r.SpanId}")));
    }

    /// <summary>
    /// Waits until the metric points received so far satisfy <paramref name="done"/> and returns them; woken by each
    /// arrival. Throws <see cref="TimeoutException"/> naming <paramref name="what"/> and listing the metric names seen.
    /// </summary>
    public async Task<IReadOnlyList<ReceivedMetricPoint>> WaitForMetricsAsync(
        Func<IReadOnlyList<ReceivedMetricPoint>, bool> done, TimeSpan timeout, string what)
    {
        if (await TryWaitAsync(_metrics, done, timeout) is { } points)
        {
            return points;
        }

        throw new TimeoutException($"OTLP receiver: {what} not seen within {timeout.TotalSeconds:0.#} s; metrics: " +
            string.Join(", ", _metrics.Select(p => $"{p.ScopeName}/{p.MetricName}").Distinct()));
    }

    private async Task<IReadOnlyList<T>?> TryWaitAsync<T>(ConcurrentQueue<T> items, Func<IReadOnlyList<T>, bool> done, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            // Taken before the snapshot: an arrival after the snapshot completes this signal.
            var arrived = Volatile.Read(ref _arrived).Task;
            var snapshot = items.ToList();
            if (done(snapshot))
            {
                return snapshot;
            }

            var left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero || await Task.WhenAny(arrived, Task.Delay(left)) != arrived)
            {
                return null;
            }
        }
    }

    private async Task HandleHttpAsync(HttpContext context, Action<byte[]> accept)
    {
        RecordRequest(context.Request);
        var body = await ReadBodyAsync(context.Request);
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        accept(body);
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private async Task HandleGrpcAsync(HttpContext context, Action<byte[]> accept)
    {
        RecordRequest(context.Request);
        var body = await ReadBodyAsync(context.Request);
        // gRPC framing: 1 byte compressed flag, 4 bytes big-endian length, then the message.
        var offset = 0;
        while (offset + 5 <= body.Length)
        {
            var length = (int)BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(offset + 1, 4));
            accept(body.AsSpan(offset + 5, length).ToArray());
            offset += 5 + length;
        }

        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(new byte[5]); // an empty Export*ServiceResponse
        context.Response.AppendTrailer("grpc-status", "0");
    }

    private void AcceptTraces(byte[] body)
    {
        _bodies.Enqueue(body);
        foreach (var span in OtlpTraceDecoder.Decode(body))
        {
            _spans.Enqueue(span);
        }

        Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();
    }

    private void AcceptLogs(byte[] body)
    {
        _bodies.Enqueue(body);
        foreach (var record in OtlpLogDecoder.Decode(body))
        {
            _logs.Enqueue(record);
        }

        Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();
    }

    private void AcceptMetrics(byte[] body)
    {
        _bodies.Enqueue(body);
        foreach (var point in OtlpMetricDecoder.Decode(body))
        {
            _metrics.Enqueue(point);
        }

        Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();
    }

    private void RecordRequest(HttpRequest request) =>
        _requests.Enqueue((request.Path.Value ?? "", request.Headers.ToDictionary(
            h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal)));

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

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
    }
}
