namespace TestSupport.Otlp;

/// <summary>
/// Decodes an OTLP <c>ExportMetricsServiceRequest</c> with the field numbers of the OTLP protos
/// (opentelemetry-proto collector/metrics/v1/metrics_service.proto, metrics/v1/metrics.proto): request{1
/// resource_metrics} → ResourceMetrics{1 resource, 2 scope_metrics} → ScopeMetrics{1 scope, 2 metrics}
/// (<see cref="OtlpEnvelope"/>) → Metric{1 name, 3 unit, 5 gauge, 7 sum, 9 histogram}; Gauge{1 data_points},
/// Sum{1 data_points, 2 aggregation_temporality, 3 is_monotonic}, Histogram{1 data_points, 2 aggregation_temporality};
/// NumberDataPoint{4 as_double (double), 6 as_int (sfixed64), 5 exemplars, 7 attributes}; HistogramDataPoint{4 count
/// (fixed64), 5 sum (double), 7 explicit_bounds (packed double), 8 exemplars, 9 attributes}; Exemplar{5 trace_id}.
/// </summary>
public static class OtlpMetricDecoder
{
    public static List<ReceivedMetricPoint> Decode(ReadOnlyMemory<byte> request)
    {
        var points = new List<ReceivedMetricPoint>();
        foreach (var (metric, scopeName, resource) in OtlpEnvelope.Items(request))
        {
            var name = ProtoReader.String(metric, 1) ?? "";
            var unit = ProtoReader.String(metric, 3) ?? "";
            foreach (var field in ProtoReader.Fields(metric).Where(f => f.Number is 5 or 7 or 9 && f.WireType == ProtoField.LengthDelimited))
            {
                var kind = field.Number switch { 5 => ReceivedMetricPoint.KindGauge, 7 => ReceivedMetricPoint.KindSum, _ => ReceivedMetricPoint.KindHistogram };
                var temporality = field.Number == 5 ? 0 : (int)ProtoReader.Varint(field.Bytes, 2);
                var monotonic = field.Number == 7 && ProtoReader.Varint(field.Bytes, 3) != 0;
                foreach (var point in ProtoReader.Messages(field.Bytes, 1))
                {
                    var histogram = field.Number == 9;
                    points.Add(new ReceivedMetricPoint
                    {
                        MetricName = name,
                        Unit = unit,
                        Kind = kind,
                        Temporality = temporality,
                        IsMonotonic = monotonic,
                        Attributes = OtlpAttributes.Read(point, histogram ? 9 : 7),
                        Value = histogram ? 0 : NumberValue(point),
                        Count = histogram ? ProtoReader.Fixed64(point, 4) : 0,
                        Sum = histogram ? BitConverter.UInt64BitsToDouble(ProtoReader.Fixed64(point, 5)) : 0,
                        ExplicitBounds = histogram ? PackedDoubles(ProtoReader.Bytes(point, 7)) : [],
                        ExemplarTraceIds = ProtoReader.Messages(point, histogram ? 8 : 5)
                            .Select(exemplar => Convert.ToHexStringLower(ProtoReader.Bytes(exemplar, 5).Span)).ToList(),
                        ScopeName = scopeName,
                        Resource = resource,
                    });
                }
            }
        }

        return points;
    }

    // as_double (4, double) or as_int (6, sfixed64): both travel as fixed64.
    private static double NumberValue(ReadOnlyMemory<byte> point)
    {
        var value = 0d;
        foreach (var field in ProtoReader.Fields(point).Where(f => f.WireType == ProtoField.Fixed64))
        {
            if (field.Number == 4) value = BitConverter.UInt64BitsToDouble(field.Scalar);
            else if (field.Number == 6) value = (long)field.Scalar;
        }

        return value;
    }

    private static List<double> PackedDoubles(ReadOnlyMemory<byte> packed)
    {
        var values = new List<double>();
        for (var offset = 0; offset + 8 <= packed.Length; offset += 8)
        {
            values.Add(BitConverter.ToDouble(packed.Span.Slice(offset, 8)));
        }

        return values;
    }
}
