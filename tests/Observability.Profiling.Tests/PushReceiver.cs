using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TestSupport.Pprof;
using TestSupport;

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

    /// <summary>Waits for a push of the given <c>__name__</c> (pushes already received count too); woken by each arrival.</summary>
    public async Task<ReceivedPush> WaitForAsync(string name, Func<ReceivedPush, bool>? accept = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            while (_received.Reader.TryRead(out var push)) _all.Add(push);
            var match = _all.FirstOrDefault(p => p.Labels.GetValueOrDefault("__name__") == name && (accept is null || accept(p)));
            if (match is not null) return match;
            try
            {
                await _received.Reader.WaitToReadAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no accepted '{name}' push within 60 s among {_all.Count}: " +
                    string.Join(", ", _all.Select(p => p.Labels.GetValueOrDefault("__name__"))));
            }
        }
    }

    // PushRequest{1 series} → RawProfileSeries{1 labels LabelPair{1 name, 2 value}, 2 samples RawSample{1 raw_profile}}.
    private static ReceivedPush Decode(byte[] body)
    {
        var push = new ReceivedPush();
        foreach (var series in ProtoReader.Messages(body, 1))
        {
            push.SeriesCount++;
            foreach (var label in ProtoReader.Messages(series, 1))
                push.Labels[ProtoReader.String(label, 1) ?? ""] = ProtoReader.String(label, 2) ?? "";
            foreach (var sample in ProtoReader.Messages(series, 2))
                foreach (var profile in ProtoReader.Messages(sample, 1))
                    push.Profiles.Add(PprofProfile.Parse(profile.ToArray()));
        }
        return push;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
