using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Observability.Reports.Tests;

/// <summary>
/// A Kestrel server on 127.0.0.1 with a free port that answers GETs by path with the given handler, and records the
/// query strings it was asked (to check what the report sent).
/// </summary>
public sealed class ServedBackend : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ServedBackend(WebApplication app, string baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public string BaseUrl { get; }

    public ConcurrentQueue<(string Path, IQueryCollection Query)> Requests { get; } = new();

    public static async Task<ServedBackend> StartAsync(Func<HttpContext, Task> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        ServedBackend? self = null;
        app.Run(async context =>
        {
            self!.Requests.Enqueue((context.Request.Path.Value ?? "", context.Request.Query));
            await handler(context);
        });
        await app.StartAsync();
        var address = app.Urls.First();
        self = new ServedBackend(app, address.TrimEnd('/'));
        return self;
    }

    /// <summary>Answers every request with a fixed JSON body per path (404 for other paths).</summary>
    public static Task<ServedBackend> JsonAsync(IReadOnlyDictionary<string, Func<IQueryCollection, string>> byPath) =>
        StartAsync(async context =>
        {
            if (byPath.TryGetValue(context.Request.Path.Value ?? "", out var answer))
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(answer(context.Request.Query));
            }
            else
            {
                context.Response.StatusCode = 404;
                await context.Response.WriteAsync("404 page not found");
            }
        });

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
