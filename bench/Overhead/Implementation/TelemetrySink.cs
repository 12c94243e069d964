using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Overhead.Implementation;

/// <summary>
/// Stands in for the OpenTelemetry collector (OTLP http/protobuf) and Pyroscope (ingest and connect push): reads
/// every body to the end and answers 200, so the app under test pays the full cost of exporting, and counts what
/// arrived so the report can show that telemetry really flowed.
/// </summary>
internal sealed class TelemetrySink : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Counter> _byPath = new();

    private TelemetrySink(WebApplication app) => _app = app;

    public string BaseAddress { get; private set; } = "";

    public static async Task<TelemetrySink> StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var sink = new TelemetrySink(app);
        app.MapPost("/v1/traces", (HttpContext c) => sink.Accept(c, "application/x-protobuf"));
        app.MapPost("/v1/metrics", (HttpContext c) => sink.Accept(c, "application/x-protobuf"));
        app.MapPost("/v1/logs", (HttpContext c) => sink.Accept(c, "application/x-protobuf"));
        app.MapPost("/ingest", (HttpContext c) => sink.Accept(c, "text/plain"));
        app.MapPost("/push.v1.PusherService/Push", (HttpContext c) => sink.Accept(c, "application/proto"));
        await app.StartAsync();
        sink.BaseAddress = $"http://127.0.0.1:{port}";
        return sink;
    }

    /// <summary>Requests and bytes received per path so far.</summary>
    public IReadOnlyDictionary<string, (long Requests, long Bytes)> Snapshot() =>
        _byPath.ToDictionary(kv => kv.Key, kv => (Interlocked.Read(ref kv.Value.Requests), Interlocked.Read(ref kv.Value.Bytes)));

    private async Task Accept(HttpContext context, string contentType)
    {
        var buffer = new byte[16 * 1024];
        long total = 0;
        int read;
        while ((read = await context.Request.Body.ReadAsync(buffer)) > 0)
        {
            total += read;
        }

        var counter = _byPath.GetOrAdd(context.Request.Path.Value ?? "", _ => new Counter());
        Interlocked.Increment(ref counter.Requests);
        Interlocked.Add(ref counter.Bytes, total);
        // An empty protobuf message is zero bytes: a valid Export*ServiceResponse / PushResponse.
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = contentType;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed class Counter
    {
        public long Requests;
        public long Bytes;
    }
}
