using Observability.Profiling.Implementation;
using OpenTelemetry.Exporter;

namespace Observability.Hosting.Implementation;

/// <summary>The signals the kit exports over OTLP.</summary>
internal enum OtlpSignal
{
    Traces,
    Logs,
    Metrics,
}

/// <summary>
/// Where and how one signal is exported over OTLP, resolved once from the kit's options: the URL (the signal's own
/// endpoint as is, or the base endpoint, with <c>/v1/&lt;signal&gt;</c> appended for <c>http/protobuf</c>), the protocol,
/// the headers (the signal's own, else the common ones), the timeout and the compression. The exporter is handed all of
/// them explicitly, so a value from <c>appsettings.json</c> works as the environment variable does, and the exporter's own
/// read of the process environment is overwritten with what the kit checked.
/// </summary>
internal sealed class OtlpExport
{
    private readonly IReadOnlyDictionary<string, string> _headers;
    private readonly OtlpExportOptions _otlp;

    private OtlpExport(OtlpSignal signal, Uri endpoint, OtlpExportOptions otlp, IDictionary<string, string> headers)
    {
        Signal = signal;
        Endpoint = endpoint;
        _otlp = otlp;
        _headers = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
    }

    public OtlpSignal Signal { get; }

    /// <summary>The signal's name as the kit's metrics and log lines write it (<c>traces</c>, <c>logs</c>, <c>metrics</c>).</summary>
    public string SignalName => Signal switch
    {
        OtlpSignal.Traces => TelemetryNames.SignalTraces,
        OtlpSignal.Logs => TelemetryNames.SignalLogs,
        _ => TelemetryNames.SignalMetrics,
    };

    /// <summary>The full URL the exporter posts to.</summary>
    public Uri Endpoint { get; }

    /// <summary><c>grpc</c> or <c>http/protobuf</c>.</summary>
    public string Protocol => _otlp.Protocol;

    /// <summary>The export of <paramref name="signal"/>, or null when no endpoint is configured for it.</summary>
    public static OtlpExport? For(ObservabilityOptions options, OtlpSignal signal)
    {
        var otlp = options.Otlp;
        var (own, headers, path) = signal switch
        {
            OtlpSignal.Traces => (otlp.TracesEndpoint, otlp.TracesHeaders, "/v1/traces"),
            OtlpSignal.Logs => (otlp.LogsEndpoint, otlp.LogsHeaders, "/v1/logs"),
            _ => (otlp.MetricsEndpoint, otlp.MetricsHeaders, "/v1/metrics"),
        };
        var endpoint = own ?? BaseEndpoint(otlp, path);
        return endpoint is null ? null : new OtlpExport(signal, endpoint, otlp, headers ?? otlp.Headers);
    }

    /// <summary>
    /// New exporter options with every value the kit resolved. The constructor of <see cref="OtlpExporterOptions"/> reads
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, <c>_PROTOCOL</c>, <c>_HEADERS</c>, <c>_TIMEOUT</c> and <c>_COMPRESSION</c> from the
    /// process environment (OpenTelemetry 1.20.1); each is set again here, so none of them passes unchecked.
    /// </summary>
    public OtlpExporterOptions ExporterOptions() => new()
    {
        Endpoint = Endpoint,
        Protocol = Protocol == OtlpExportOptions.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc,
        // Null when there are none: an environment value the kit did not take must not be sent either.
        Headers = OtlpHeaders.ForExporter(_headers),
        TimeoutMilliseconds = (int)_otlp.ExportTimeout.TotalMilliseconds,
        Compression = _otlp.Compression == OtlpExportOptions.Gzip ? OtlpExportCompression.GZip : OtlpExportCompression.None,
    };

    /// <summary>The once-per-outage log lines of this export.</summary>
    public ExportOutageLog OutageLog(IServiceProvider services) => new(services, SignalName, Endpoint, Protocol);

    // gRPC posts to the base URL (the service path is the exporter's); OTLP/HTTP to the signal's path below it.
    private static Uri? BaseEndpoint(OtlpExportOptions otlp, string signalPath)
    {
        if (otlp.Endpoint is not { } baseEndpoint) return null;
        if (otlp.Protocol != OtlpExportOptions.HttpProtobuf) return baseEndpoint;
        var path = baseEndpoint.AbsolutePath.TrimEnd('/');
        return path.EndsWith(signalPath, StringComparison.Ordinal) ? baseEndpoint : new Uri(baseEndpoint, path + signalPath);
    }
}
