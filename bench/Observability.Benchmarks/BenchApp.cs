using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Observability.Benchmarks;

/// <summary>
/// The app the per-request benchmarks call: the real ASP.NET Core pipeline on the in-memory test server (no sockets,
/// so the kit's share is not hidden by network time), one route (<c>/items/{id:int}</c>), with or without the kit.
/// </summary>
internal sealed class BenchApp : IDisposable
{
    private readonly WebApplication _app;

    private BenchApp(WebApplication app)
    {
        _app = app;
        Client = app.GetTestClient();
    }

    public HttpClient Client { get; }

    /// <summary>Starts the app; <paramref name="settings"/> are added to the service name and a free management port.</summary>
    public static BenchApp Start(bool withKit, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        var all = new Dictionary<string, string?>
        {
            ["Observability:ServiceName"] = "bench",
            ["Observability:Management:Port"] = "0",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        builder.Configuration.AddInMemoryCollection(all);
        if (withKit)
        {
            builder.AddObservability();
        }

        var app = builder.Build();
        app.MapGet("/items/{id:int}", (int id) => Results.Text(id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        app.StartAsync().GetAwaiter().GetResult();
        return new BenchApp(app);
    }

    public void Dispose()
    {
        Client.Dispose();
        _app.StopAsync().GetAwaiter().GetResult();
        _app.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
