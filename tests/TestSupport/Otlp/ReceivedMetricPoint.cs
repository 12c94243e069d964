namespace TestSupport.Otlp;

/// <summary>
/// One data point of one metric as an exporter sent it (decoded from an OTLP <c>ExportMetricsServiceRequest</c> by
/// <see cref="OtlpMetricDecoder"/>): sums and gauges carry <see cref="Value"/>, histograms <see cref="Count"/>,
/// <see cref="Sum"/> and <see cref="ExplicitBounds"/>; the scope is the <c>Meter</c>.
/// </summary>
public sealed record ReceivedMetricPoint : ReceivedItem
{
    public const string KindSum = "sum";
    public const string KindGauge = "gauge";
    public const string KindHistogram = "histogram";

    /// <summary>OTLP <c>AggregationTemporality</c>: 1 delta, 2 cumulative.</summary>
    public const int Cumulative = 2;

    public required string MetricName { get; init; }

    public required string Unit { get; init; }

    /// <summary><see cref="KindSum"/>, <see cref="KindGauge"/>, <see cref="KindHistogram"/>, or the field number of another kind.</summary>
    public required string Kind { get; init; }

    /// <summary>Sums and histograms; 0 for gauges.</summary>
    public required int Temporality { get; init; }

    public required bool IsMonotonic { get; init; }

    public required double Value { get; init; }

    public required ulong Count { get; init; }

    public required double Sum { get; init; }

    public required IReadOnlyList<double> ExplicitBounds { get; init; }

    /// <summary>Lower-case hex trace ids of the point's exemplars.</summary>
    public required IReadOnlyList<string> ExemplarTraceIds { get; init; }
}
