using System.IO.Compression;
using Observability.Profiling.Implementation.Protobuf;

namespace Observability.Profiling.Implementation.Pprof;

/// <summary>A decoded pprof profile (gzipped or raw), for tests, reports and flame graphs.</summary>
internal sealed class PprofProfile
{
    /// <summary>Upper bound on the uncompressed size read, so a hostile body cannot exhaust memory.</summary>
    public const int MaxUncompressedBytes = 64 * 1024 * 1024;

    /// <summary>Sample types as (type, unit).</summary>
    public required IReadOnlyList<(string Type, string Unit)> SampleTypes { get; init; }

    /// <summary>Period type as (type, unit); empty strings when absent.</summary>
    public required (string Type, string Unit) PeriodType { get; init; }

    /// <summary>Events between samples.</summary>
    public long Period { get; init; }

    /// <summary>Start of the window, ns since the Unix epoch.</summary>
    public long TimeNanos { get; init; }

    /// <summary>Length of the window in ns.</summary>
    public long DurationNanos { get; init; }

    /// <summary>The samples, stacks resolved to names.</summary>
    public required IReadOnlyList<PprofSample> Samples { get; init; }

    /// <summary>Stacks with the values of one sample type (by default the last, as pprof consumers do).</summary>
    public IEnumerable<KeyValuePair<IReadOnlyList<string>, long>> ToStacks(int sampleTypeIndex = -1)
    {
        var index = sampleTypeIndex < 0 ? SampleTypes.Count - 1 : sampleTypeIndex;
        foreach (var sample in Samples)
        {
            if (index < sample.Values.Count) yield return new(sample.Stack, sample.Values[index]);
        }
    }

    /// <summary>Decodes a profile; throws <see cref="FormatException"/> when it is not a valid pprof.</summary>
    public static PprofProfile Parse(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var raw = data.Length >= 2 && data[0] == 0x1f && data[1] == 0x8b ? Gunzip(data) : data;
        return Decode(raw);
    }

    private static byte[] Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = input.Read(buffer)) > 0)
        {
            if (output.Length + read > MaxUncompressedBytes) throw new FormatException("pprof: profile too large");
            output.Write(buffer, 0, read);
        }
        return output.ToArray();
    }

    private static PprofProfile Decode(byte[] raw)
    {
        var strings = new List<string>();
        var sampleTypes = new List<(long, long)>();
        var samples = new List<(List<ulong> Locations, List<ulong> Values, List<(long, long)> Labels)>();
        var locations = new Dictionary<ulong, List<ulong>>(); // location -> function ids, leaf (inlined) first
        var functions = new Dictionary<ulong, long>();
        (long, long) periodType = default;
        long period = 0, timeNanos = 0, durationNanos = 0;

        var reader = new ProtoReader(raw);
        while (reader.TryReadTag(out var field, out var wire))
        {
            switch (field)
            {
                case 1: sampleTypes.Add(ReadValueType(reader.ReadBytes())); break;
                case 2: samples.Add(ReadSample(reader.ReadBytes())); break;
                case 4: ReadLocation(reader.ReadBytes(), locations); break;
                case 5: ReadFunction(reader.ReadBytes(), functions); break;
                case 6: strings.Add(reader.ReadString()); break;
                case 9: timeNanos = (long)reader.ReadVarint(); break;
                case 10: durationNanos = (long)reader.ReadVarint(); break;
                case 11: periodType = ReadValueType(reader.ReadBytes()); break;
                case 12: period = (long)reader.ReadVarint(); break;
                default: reader.Skip(wire); break;
            }
        }

        if (strings.Count == 0 || strings[0] != "") throw new FormatException("pprof: string_table[0] must be empty");
        if (sampleTypes.Count == 0) throw new FormatException("pprof: no sample_type");
        string Str(long i) => i >= 0 && i < strings.Count ? strings[(int)i] : throw new FormatException($"pprof: string index {i} out of range");

        var decoded = new List<PprofSample>(samples.Count);
        foreach (var (locationIds, values, labels) in samples)
        {
            if (values.Count != sampleTypes.Count) throw new FormatException("pprof: sample value count differs from sample_type count");
            var stack = new List<string>();
            foreach (var locationId in locationIds)
            {
                if (!locations.TryGetValue(locationId, out var functionIds)) throw new FormatException($"pprof: unknown location {locationId}");
                foreach (var functionId in functionIds)
                {
                    stack.Add(functions.TryGetValue(functionId, out var name) ? Str(name) : throw new FormatException($"pprof: unknown function {functionId}"));
                }
            }
            stack.Reverse();
            var labelMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, text) in labels)
            {
                if (text != 0) labelMap[Str(key)] = Str(text);
            }
            decoded.Add(new PprofSample(stack, values.Select(v => (long)v).ToArray(), labelMap));
        }

        return new PprofProfile
        {
            SampleTypes = sampleTypes.Select(t => (Str(t.Item1), Str(t.Item2))).ToArray(),
            PeriodType = (Str(periodType.Item1), Str(periodType.Item2)),
            Period = period,
            TimeNanos = timeNanos,
            DurationNanos = durationNanos,
            Samples = decoded,
        };
    }

    private static (long, long) ReadValueType(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        long type = 0, unit = 0;
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1) type = (long)reader.ReadVarint();
            else if (field == 2) unit = (long)reader.ReadVarint();
            else reader.Skip(wire);
        }
        return (type, unit);
    }

    private static (List<ulong>, List<ulong>, List<(long, long)>) ReadSample(ReadOnlySpan<byte> data)
    {
        var reader = new ProtoReader(data);
        var locationIds = new List<ulong>();
        var values = new List<ulong>();
        var labels = new List<(long, long)>();
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1) reader.ReadRepeatedVarint(wire, locationIds);
            else if (field == 2) reader.ReadRepeatedVarint(wire, values);
            else if (field == 3)
            {
                var label = new ProtoReader(reader.ReadBytes());
                long key = 0, text = 0;
                while (label.TryReadTag(out var f, out var w))
                {
                    if (f == 1) key = (long)label.ReadVarint();
                    else if (f == 2) text = (long)label.ReadVarint();
                    else label.Skip(w);
                }
                labels.Add((key, text));
            }
            else reader.Skip(wire);
        }
        return (locationIds, values, labels);
    }

    private static void ReadLocation(ReadOnlySpan<byte> data, Dictionary<ulong, List<ulong>> locations)
    {
        var reader = new ProtoReader(data);
        ulong id = 0;
        var functionIds = new List<ulong>();
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1) id = reader.ReadVarint();
            else if (field == 4)
            {
                var line = new ProtoReader(reader.ReadBytes());
                while (line.TryReadTag(out var f, out var w))
                {
                    if (f == 1) functionIds.Add(line.ReadVarint());
                    else line.Skip(w);
                }
            }
            else reader.Skip(wire);
        }
        if (id == 0) throw new FormatException("pprof: location id 0");
        locations[id] = functionIds;
    }

    private static void ReadFunction(ReadOnlySpan<byte> data, Dictionary<ulong, long> functions)
    {
        var reader = new ProtoReader(data);
        ulong id = 0;
        long name = 0;
        while (reader.TryReadTag(out var field, out var wire))
        {
            if (field == 1) id = reader.ReadVarint();
            else if (field == 2) name = (long)reader.ReadVarint();
            else reader.Skip(wire);
        }
        if (id == 0) throw new FormatException("pprof: function id 0");
        functions[id] = name;
    }
}
