using System.Text;
using TestSupport;

namespace Faults.Tests.Implementation;

/// <summary>
/// Every string a profile carries: the pprof <c>string_table</c> (Profile field 6; function names, label keys and
/// values all live there) and, for Pyroscope pushes, the series labels around it.
/// </summary>
internal static class ProfileStrings
{
    /// <summary>The string table of a pprof profile, gzipped or not.</summary>
    public static IReadOnlyList<string> OfPprof(byte[] profile)
    {
        var raw = FakeBackend.Gunzip(profile);
        return ProtoReader.Messages(raw, 6).Select(s => Encoding.UTF8.GetString(s.Span)).ToList();
    }

    /// <summary>
    /// Strings of a push: PushRequest.series(1) → RawProfileSeries{labels(1) LabelPair{name 1, value 2},
    /// samples(2) RawSample{raw_profile 1}}.
    /// </summary>
    public static IReadOnlyList<string> OfPushRequest(byte[] request)
    {
        var strings = new List<string>();
        foreach (var series in ProtoReader.Messages(request, 1))
        {
            foreach (var label in ProtoReader.Messages(series, 1))
            {
                strings.Add(ProtoReader.String(label, 1) ?? "");
                strings.Add(ProtoReader.String(label, 2) ?? "");
            }

            foreach (var sample in ProtoReader.Messages(series, 2))
            {
                foreach (var profile in ProtoReader.Messages(sample, 1))
                {
                    strings.AddRange(OfPprof(profile.ToArray()));
                }
            }
        }

        return strings;
    }

    /// <summary>Strings of whatever a fake Pyroscope received, by endpoint.</summary>
    public static IReadOnlyList<string> OfReceived(FakeBackend.Received received) => received.Path switch
    {
        "/push.v1.PusherService/Push" => OfPushRequest(received.Body),
        "/ingest" => [Uri.UnescapeDataString(received.Query), .. OfPprof(received.Body)],
        _ => [],
    };
}
