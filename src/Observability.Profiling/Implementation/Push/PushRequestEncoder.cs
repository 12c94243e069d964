using Observability.Profiling.Implementation.Protobuf;

namespace Observability.Profiling.Implementation.Push;

/// <summary>Encodes Pyroscope's <c>push.v1.PushRequest</c> with one series and one raw profile.</summary>
internal static class PushRequestEncoder
{
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> labels, byte[] pprof)
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
}
