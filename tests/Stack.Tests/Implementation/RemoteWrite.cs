using System.Net.Http.Headers;

namespace Stack.Tests.Implementation;

/// <summary>
/// Sends series to a Prometheus remote-write receiver as k6's remote-write output does (prompb.WriteRequest, snappy
/// block format): native histograms, the shape k6 2.2.0 writes for a trend with native histograms on, and float
/// samples, the shape of its counters (<c>_total</c>), rates (<c>_rate</c>) and gauges.
/// </summary>
internal static class RemoteWrite
{
    /// <summary>A histogram of schema 0 (bucket i holds (2^(i-1), 2^i]) with the given counts per bucket index.</summary>
    public sealed record NativeHistogram(DateTimeOffset Time, IReadOnlyDictionary<int, ulong> Buckets, double Sum);

    public static Task SendAsync(HttpClient prometheus, IReadOnlyDictionary<string, string> labels, IEnumerable<NativeHistogram> points)
    {
        var series = Labels(labels);
        foreach (var point in points)
        {
            series.Message(4, Histogram(point));
        }

        return PostAsync(prometheus, series);
    }

    /// <summary>One series of float samples (prompb.Sample: value 1, timestamp 2).</summary>
    public static Task SendAsync(HttpClient prometheus, IReadOnlyDictionary<string, string> labels, IEnumerable<(DateTimeOffset Time, double Value)> samples)
    {
        var series = Labels(labels);
        foreach (var (time, value) in samples)
        {
            series.Message(2, new ProtoWriter().Double(1, value).Int64(2, time.ToUnixTimeMilliseconds()));
        }

        return PostAsync(prometheus, series);
    }

    // prompb.TimeSeries: labels 1 (Label: name 1, value 2), sorted by name as the specification asks.
    private static ProtoWriter Labels(IReadOnlyDictionary<string, string> labels)
    {
        var series = new ProtoWriter();
        foreach (var (name, value) in labels.OrderBy(l => l.Key, StringComparer.Ordinal))
        {
            series.Message(1, new ProtoWriter().String(1, name).String(2, value));
        }

        return series;
    }

    private static async Task PostAsync(HttpClient prometheus, ProtoWriter series)
    {
        var body = Snappy(new ProtoWriter().Message(1, series).ToArray());
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
        content.Headers.ContentEncoding.Add("snappy");
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/write") { Content = content };
        request.Headers.Add("X-Prometheus-Remote-Write-Version", "0.1.0");
        using var response = await prometheus.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"remote write answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    // prompb.Histogram: count_int 1, sum 3, schema 4 (sint32), zero_threshold 5, zero_count_int 6,
    // positive_spans 11 (BucketSpan: offset 1 sint32, length 2), positive_deltas 12 (sint64), timestamp 15.
    private static ProtoWriter Histogram(NativeHistogram h)
    {
        var message = new ProtoWriter()
            .UInt64(1, h.Buckets.Values.Aggregate(0UL, (a, b) => a + b))
            .Double(3, h.Sum)
            .SInt64(4, 0)
            .Double(5, 0)
            .UInt64(6, 0);
        var indexes = h.Buckets.Keys.Order().ToList();
        var previousEnd = 0;
        for (var i = 0; i < indexes.Count; i++)
        {
            var offset = i == 0 ? indexes[0] : indexes[i] - previousEnd;
            message.Message(11, new ProtoWriter().SInt64(1, offset).UInt64(2, 1));
            previousEnd = indexes[i] + 1;
        }

        long previous = 0;
        foreach (var index in indexes)
        {
            var count = (long)h.Buckets[index];
            message.SInt64(12, count - previous);
            previous = count;
        }

        return message.Int64(15, h.Time.ToUnixTimeMilliseconds());
    }

    // Snappy block format with literals only: the uncompressed length, then literal elements of up to 64 KiB.
    private static byte[] Snappy(byte[] data)
    {
        using var output = new MemoryStream();
        var length = (ulong)data.Length;
        while (length >= 0x80)
        {
            output.WriteByte((byte)(length | 0x80));
            length >>= 7;
        }

        output.WriteByte((byte)length);
        for (var start = 0; start < data.Length; start += 65536)
        {
            var n = Math.Min(65536, data.Length - start) - 1;
            if (n < 60)
            {
                output.WriteByte((byte)(n << 2));
            }
            else if (n < 256)
            {
                output.WriteByte(60 << 2);
                output.WriteByte((byte)n);
            }
            else
            {
                output.WriteByte(61 << 2);
                output.WriteByte((byte)n);
                output.WriteByte((byte)(n >> 8));
            }

            output.Write(data, start, n + 1);
        }

        return output.ToArray();
    }
}
