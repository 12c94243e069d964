using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Observability.Profiling.Implementation.Protobuf;
using Observability.Profiling.Implementation.Pprof;

namespace Observability.Profiling.Tests;

/// <summary>A stand-in for Pyroscope's <c>/push.v1.PusherService/Push</c> that decodes what it receives.</summary>
internal sealed class PushReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<ReceivedPush> _received = Channel.CreateUnbounded<ReceivedPush>();
    private readonly List<ReceivedPush> _all = new();

    private PushReceiver(WebApplication app) => _app = app;

    public string Address { get; private set; } = "";

    public static async Task<PushReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var receiver = new PushReceiver(app);
        app.MapPost("/push.v1.PusherService/Push", async (HttpContext context) =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer);
            var push = Decode(buffer.ToArray());
            push.ContentType = context.Request.ContentType;
            push.Authorization = context.Request.Headers.Authorization.ToString();
            push.Tenant = context.Request.Headers["X-Scope-OrgID"].ToString();
            receiver._received.Writer.TryWrite(push);
            return Results.Ok();
        });
        await app.StartAsync();
        receiver.Address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return receiver;
    }

    /// <summary>Waits for a push of the given <c>__name__</c> (pushes already received count too).</summary>
    public async Task<ReceivedPush> WaitForAsync(string name, Func<ReceivedPush, bool>? accept = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            while (_received.Reader.TryRead(out var push)) _all.Add(push);
            var match = _all.FirstOrDefault(p => p.Labels.GetValueOrDefault("__name__") == name && (accept is null || accept(p)));
            if (match is not null) return match;
            await Task.Delay(50);
        }
        throw new TimeoutException($"no accepted '{name}' push among {_all.Count}: " +
            string.Join(", ", _all.Select(p => p.Labels.GetValueOrDefault("__name__"))));
    }

    private static ReceivedPush Decode(byte[] body)
    {
        var push = new ReceivedPush();
        var request = new ProtoReader(body);
        while (request.TryReadTag(out var field, out var wire))
        {
            if (field != 1) { request.Skip(wire); continue; }
            push.SeriesCount++;
            var series = new ProtoReader(request.ReadBytes());
            while (series.TryReadTag(out var f, out var w))
            {
                if (f == 1)
                {
                    var pair = new ProtoReader(series.ReadBytes());
                    string name = "", value = "";
                    while (pair.TryReadTag(out var pf, out var pw))
                    {
                        if (pf == 1) name = pair.ReadString();
                        else if (pf == 2) value = pair.ReadString();
                        else pair.Skip(pw);
                    }
                    push.Labels[name] = value;
                }
                else if (f == 2)
                {
                    var sample = new ProtoReader(series.ReadBytes());
                    while (sample.TryReadTag(out var sf, out var sw))
                    {
                        if (sf == 1) push.Profiles.Add(PprofProfile.Parse(sample.ReadBytes().ToArray()));
                        else sample.Skip(sw);
                    }
                }
                else series.Skip(w);
            }
        }
        return push;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed class ReceivedPush
{
    public Dictionary<string, string> Labels { get; } = new();
    public List<PprofProfile> Profiles { get; } = new();
    public int SeriesCount { get; set; }
    public string? ContentType { get; set; }
    public string? Authorization { get; set; }
    public string? Tenant { get; set; }
}
