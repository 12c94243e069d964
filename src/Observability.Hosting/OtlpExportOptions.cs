namespace Observability.Hosting;

/// <summary>
/// OTLP export of traces, logs and (when <see cref="MetricsOptions.Exporters"/> says so) metrics. Without an endpoint
/// nothing is exported (spans still feed metrics and profiles). The queue settings apply to spans and log records,
/// each separately.
/// </summary>
public sealed class OtlpExportOptions
{
    /// <summary>The protocol value for OTLP over gRPC.</summary>
    public const string Grpc = "grpc";

    /// <summary>The protocol value for OTLP over HTTP with protobuf bodies.</summary>
    public const string HttpProtobuf = "http/protobuf";

    /// <summary>
    /// Base endpoint (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), e.g. <c>http://collector:4317</c>; for
    /// <c>http/protobuf</c> the path <c>/v1/traces</c> (<c>/v1/logs</c>) is appended.
    /// </summary>
    public Uri? Endpoint { get; set; }

    /// <summary>Full traces endpoint (<c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c>), used as is; wins over <see cref="Endpoint"/>.</summary>
    public Uri? TracesEndpoint { get; set; }

    /// <summary>Full logs endpoint (<c>OTEL_EXPORTER_OTLP_LOGS_ENDPOINT</c>), used as is; wins over <see cref="Endpoint"/>.</summary>
    public Uri? LogsEndpoint { get; set; }

    /// <summary>
    /// Full metrics endpoint (<c>OTEL_EXPORTER_OTLP_METRICS_ENDPOINT</c>), used as is; wins over <see cref="Endpoint"/>.
    /// Used only when <see cref="MetricsOptions.Exporters"/> includes <see cref="MetricsExporters.Otlp"/>.
    /// </summary>
    public Uri? MetricsEndpoint { get; set; }

    /// <summary><c>grpc</c> (default) or <c>http/protobuf</c>.</summary>
    public string Protocol { get; set; } = Grpc;

    /// <summary>
    /// Request headers of every OTLP export (<c>OTEL_EXPORTER_OTLP_HEADERS</c>, decoded), e.g. an API key; names are
    /// compared without regard to case. Handed to the exporter by the kit, whichever configuration source set them.
    /// </summary>
    public IDictionary<string, string> Headers { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Headers of trace exports (<c>OTEL_EXPORTER_OTLP_TRACES_HEADERS</c>); when set, used instead of <see cref="Headers"/>.</summary>
    public IDictionary<string, string>? TracesHeaders { get; set; }

    /// <summary>Headers of log exports (<c>OTEL_EXPORTER_OTLP_LOGS_HEADERS</c>); when set, used instead of <see cref="Headers"/>.</summary>
    public IDictionary<string, string>? LogsHeaders { get; set; }

    /// <summary>Headers of metric exports (<c>OTEL_EXPORTER_OTLP_METRICS_HEADERS</c>); when set, used instead of <see cref="Headers"/>.</summary>
    public IDictionary<string, string>? MetricsHeaders { get; set; }

    /// <summary>The compression value for uncompressed export bodies.</summary>
    public const string NoCompression = "none";

    /// <summary>The compression value for gzip-compressed export bodies.</summary>
    public const string Gzip = "gzip";

    /// <summary><c>none</c> (default) or <c>gzip</c> (<c>OTEL_EXPORTER_OTLP_COMPRESSION</c>), for every signal.</summary>
    public string Compression { get; set; } = NoCompression;

    /// <summary>True when no protocol was configured and an endpoint on port 4318 made it <c>http/protobuf</c>.</summary>
    internal bool ProtocolFromPort { get; set; }

    /// <summary>Spans (log records) waiting for export or in flight; beyond it they are dropped and counted.</summary>
    public int MaxQueueSize { get; set; } = 2048;

    /// <summary>Spans (log records) per export call.</summary>
    public int MaxExportBatchSize { get; set; } = 512;

    /// <summary>Delay between two exports.</summary>
    public TimeSpan ScheduledDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Timeout of one export call.</summary>
    public TimeSpan ExportTimeout { get; set; } = TimeSpan.FromSeconds(10);
}
