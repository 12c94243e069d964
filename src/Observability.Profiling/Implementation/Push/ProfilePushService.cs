using System.Net.Http.Headers;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using Observability.Profiling.Implementation.Pprof;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Protobuf;
using Observability.Profiling.Implementation.Sampling;

namespace Observability.Profiling.Implementation.Push;

/// <summary>
/// Every <see cref="ProfilingOptions.UploadInterval"/> closes the profile windows and queues them; a separate
/// loop uploads the queue to Pyroscope. The queue is small and drops its oldest entry when full, and each
/// request has a timeout, so a down or slow server costs dropped, counted profiles and nothing else.
/// </summary>
internal sealed class ProfilePushService : BackgroundService
{
    private readonly ProfileHub _hub;
    private readonly SampledKinds _sampled;
    private readonly ILogger<ProfilePushService> _logger;
    private readonly Channel<(ProfileKind Kind, byte[] Body)> _queue;
    private int _failuresLogged;

    public ProfilePushService(ProfileHub hub, SampledKinds sampled, ILogger<ProfilePushService> logger)
    {
        _hub = hub;
        _sampled = sampled;
        _logger = logger;
        _queue = Channel.CreateBounded<(ProfileKind, byte[])>(
            new BoundedChannelOptions(Math.Max(1, hub.Options.UploadQueueCapacity))
            {
                FullMode = BoundedChannelFullMode.DropOldest,
                SingleReader = true,
                SingleWriter = true,
            },
            dropped => hub.Metrics.Dropped.WithLabels(dropped.Item1.Id(), "queue_full").Inc());
    }

    private ProfilingOptions Options => _hub.Options;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The address was validated when the options were loaded (an http or https URL).
        if (!Options.Enabled || Options.ServerAddress is not { } server) return;
        var endpoint = new Uri(server.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/push.v1.PusherService/Push");
        _hub.PushEnabled = true;
        foreach (var kind in ProfileKinds.All)
        {
            _hub.Metrics.Pushed.WithLabels(kind.Id()).Inc(0);
        }
        var upload = Task.Run(() => UploadLoopAsync(endpoint, stoppingToken), CancellationToken.None);
        using var timer = new PeriodicTimer(Options.UploadInterval > TimeSpan.Zero ? Options.UploadInterval : TimeSpan.FromSeconds(15));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                FlushWindow();
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _queue.Writer.TryComplete();
            _hub.PushEnabled = false;
        }
        await upload.ConfigureAwait(false);
    }

    /// <summary>Closes the current windows and queues one encoded profile per kind that has samples.</summary>
    /// <remarks>
    /// Honest values: a CPU or wall profile's pprof <c>time_nanos</c> and <c>duration_nanos</c> are the part of the
    /// sampler's windows (bursts) that its samples came from, not the 15 s of the push window; sample values are the
    /// samples taken, never scaled. The request-time profile covers the whole push window.
    /// </remarks>
    internal void FlushWindow()
    {
        var end = DateTimeOffset.UtcNow;
        foreach (var window in _hub.SwapWindow())
        {
            if (window is null || window.Total == 0) continue;
            var period = _sampled.PeriodNanos(window.Kind);
            var (start, duration) = (window.Start, end - window.Start);
            // Samples reach the window ~0.1 s after they were taken: the sampled range comes from their own times.
            if (window.SampleTimes is { } times &&
                _sampled.Windows(window.Kind).Within(times.First.AddTicks(-period / 100), times.Last.AddTicks(period / 100)) is { } sampled)
            {
                (start, duration) = (new DateTimeOffset(sampled.First), sampled.Sampled);
            }
            var pprof = PprofBuilder.EncodeWindow(window, start, duration, period);
            var body = EncodePushRequest(SeriesLabels.For(window.Kind, Options), pprof);
            _queue.Writer.TryWrite((window.Kind, body));
        }
    }

    /// <summary>Pyroscope's <c>push.v1.PushRequest</c> with one series and one raw profile.</summary>
    private static byte[] EncodePushRequest(IReadOnlyList<KeyValuePair<string, string>> labels, byte[] pprof)
    {
        var series = new ProtoWriter(pprof.Length + 512);
        var scratch = new ProtoWriter();
        foreach (var (name, value) in labels)
        {
            scratch.Clear();
            scratch.WriteString(1, name);
            scratch.WriteString(2, value);
            series.WriteMessage(1, scratch); // RawProfileSeries.labels
        }
        scratch.Clear();
        scratch.WriteBytes(1, pprof); // RawSample.raw_profile (the server assigns the ID)
        series.WriteMessage(2, scratch); // RawProfileSeries.samples

        var request = new ProtoWriter(series.Length + 8);
        request.WriteMessage(1, series); // PushRequest.series
        return request.ToArray();
    }

    private async Task UploadLoopAsync(Uri endpoint, CancellationToken stoppingToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = Options.UploadTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        })
        { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            await foreach (var (kind, body) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                await UploadAsync(http, endpoint, kind, body, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task UploadAsync(HttpClient http, Uri endpoint, ProfileKind kind, byte[] body, CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(Options.UploadTimeout);
        string reason;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/proto");
            request.Headers.UserAgent.ParseAdd("Observability.Profiling/1.0");
            if (!string.IsNullOrEmpty(Options.BasicAuthUser))
            {
                var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Options.BasicAuthUser}:{Options.BasicAuthPassword}"));
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
            }
            if (!string.IsNullOrEmpty(Options.TenantId)) request.Headers.TryAddWithoutValidation("X-Scope-OrgID", Options.TenantId);

            // The profiler's own traffic is not the app's: no client span (it would be a root span of every push).
            using var untraced = SuppressInstrumentationScope.Begin();
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.IsSuccessStatusCode)
            {
                _hub.Metrics.Pushed.WithLabels(kind.Id()).Inc();
                return;
            }
            reason = "http_" + (int)response.StatusCode;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            reason = "timeout";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reason = "unreachable";
        }
        _hub.Metrics.Dropped.WithLabels(kind.Id(), reason).Inc();
        _hub.Metrics.ExportFailures.Inc();
        // Log the first failures only: a down server must not flood the log.
        if (Interlocked.Increment(ref _failuresLogged) <= 3)
        {
            _logger.LogWarning("Profile push to {Endpoint} failed ({Reason}); the profile is dropped", $"{endpoint.Host}:{endpoint.Port}", reason);
        }
    }
}
