using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Observability.Hosting.Tests.Infrastructure;

/// <summary>
/// A small real app: WebApplication + <c>AddObservability()</c>, Kestrel on 127.0.0.1 with a free port, the
/// management listener on another free port, and a few endpoints (one runs a parameterised PostgreSQL query).
/// </summary>
internal sealed class TestHost : IAsyncDisposable
{
    public const string SecretParameterValue = "param-value-7f3a";
    public const string SecretLiteral = "literal-secret-91c";

    /// <summary>An application source, traced only when listed in <c>Observability:Tracing:Sources</c>.</summary>
    public static readonly System.Diagnostics.ActivitySource CustomSource = new("Tests.Custom");

    /// <summary>A source named below the application name, traced by convention without configuration.</summary>
    public static readonly System.Diagnostics.ActivitySource ApplicationSource = new(ApplicationName + ".Work");

    public const string ApplicationName = "hosting-tests";

    private static readonly HttpClient OutgoingClient = new() { Timeout = TimeSpan.FromSeconds(30) };

    private TestHost(WebApplication app)
    {
        App = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // The test's own calls carry the trace context the test sets, not one of the client's.
        Client = new HttpClient(new UntracedHandler()) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };
        var management = app.Services.GetService<IManagementEndpoint>();
        if (management?.BaseAddress is { } managementAddress)
            Management = new HttpClient(new UntracedHandler()) { BaseAddress = managementAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }

    public HttpClient Client { get; }

    public HttpClient? Management { get; }

    public int ManagementPort => App.Services.GetRequiredService<IManagementEndpoint>().Port;

    /// <summary>
    /// Starts the app; <paramref name="beforeKit"/> and <paramref name="afterKit"/> add the app's own setup (its own
    /// OpenTelemetry calls, a log recorder) before or after <c>AddObservability()</c>; <paramref name="pipeline"/> adds
    /// the app's own middleware and endpoints next to the test endpoints.
    /// </summary>
    public static async Task<TestHost> StartAsync(
        IDictionary<string, string?>? config = null, string? connectionString = null, Action<ObservabilityOptions>? configure = null,
        Action<IServiceCollection>? services = null, Action<WebApplicationBuilder>? beforeKit = null, Action<WebApplicationBuilder>? afterKit = null,
        Action<WebApplication>? pipeline = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = ApplicationName,
            EnvironmentName = Environment.GetEnvironmentVariable("OBS_TEST_ENV") ?? "Production",
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        if (Environment.GetEnvironmentVariable("OBS_TEST_LOG") == "1") builder.Logging.AddConsole();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var settings = new Dictionary<string, string?>
        {
            [ObservabilityConfigKeys.ManagementPort] = "0",
            [ObservabilityConfigKeys.ManagementAddress] = "127.0.0.1",
            [ObservabilityConfigKeys.ProfilingEnabled] = "false",
        };
        foreach (var (key, value) in config ?? new Dictionary<string, string?>()) settings[key] = value;
        builder.Configuration.AddInMemoryCollection(settings);
        beforeKit?.Invoke(builder);
        builder.AddObservability(configure);
        services?.Invoke(builder.Services);
        afterKit?.Invoke(builder);
        if (connectionString is not null)
            builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));

        var app = builder.Build();
        pipeline?.Invoke(app);
        MapEndpoints(app);
        await app.StartAsync();
        return new TestHost(app);
    }

    /// <summary>Sends every finished span to the exporter now.</summary>
    public void FlushTraces() => App.Services.GetService<TracerProvider>()?.ForceFlush(15000);

    /// <summary>Exports the metrics now (no-op when no meter provider exists, i.e. nothing is pushed).</summary>
    public void FlushMetrics() => App.Services.GetService<MeterProvider>()?.ForceFlush(15000);

    /// <summary>Sends every log record written so far to the exporter now (no-op when logs are not exported).</summary>
    public void FlushLogs() => App.Services.GetService<LoggerProvider>()?.ForceFlush(15000);

    public async Task<string> ScrapeAsync(bool openMetrics = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        if (openMetrics) request.Headers.Accept.ParseAdd("application/openmetrics-text; version=1.0.0");
        using var response = await Management!.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapGet("/hello", () => "hello");
        app.MapGet("/boom", IResult () => throw new InvalidOperationException("boom"));
        app.MapGet("/health", () => "ok");
        // One route that answers every kind of outcome: 1 → 200, 2 → 404, 3 → 503, anything else → unhandled exception.
        app.MapGet("/orders/{id:int}", IResult (int id) => id switch
        {
            1 => Results.Ok(new { id }),
            2 => Results.NotFound(),
            3 => Results.StatusCode(StatusCodes.Status503ServiceUnavailable),
            _ => throw new InvalidOperationException("order " + id),
        });
        // An HttpClient call to this app's /hello with the query of the X-Outgoing-Query header (headers are never
        // recorded, so the test controls the client span's url.full without the server span seeing it).
        app.MapGet("/outgoing", async (HttpContext context) =>
        {
            var query = context.Request.Headers["X-Outgoing-Query"].ToString();
            using var response = await OutgoingClient.GetAsync($"{context.Request.Scheme}://{context.Request.Host}/hello{query}");
            return Results.Text(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
        });
        // Application logs: the full URL (query included) as a structured value and inside the message text.
        app.MapGet("/log", (HttpContext context, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger("Tests.Log");
            var url = Microsoft.AspNetCore.Http.Extensions.UriHelper.GetDisplayUrl(context.Request);
            logger.LogInformation("Handled {Url}", url);
            logger.Log(LogLevel.Warning, new EventId(7), url, null, (state, _) => "Raw message for " + state);
            return "logged";
        });
        app.MapGet("/own-source", () =>
        {
            using var activity = ApplicationSource.StartActivity("own work");
            return "own";
        });
        app.MapGet("/custom", () =>
        {
            using var activity = CustomSource.StartActivity("custom work");
            return "custom";
        });
        app.MapGet("/items/{id:int}", async (int id, [FromServices] NpgsqlDataSource db) =>
        {
            await using var command = db.CreateCommand($"SELECT $1::int AS id, '{SecretLiteral}' AS note, $2::text AS marker");
            command.Parameters.Add(new NpgsqlParameter { Value = id });
            command.Parameters.Add(new NpgsqlParameter { Value = SecretParameterValue });
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return Results.Ok(new { id = reader.GetInt32(0) });
        });
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Management?.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
