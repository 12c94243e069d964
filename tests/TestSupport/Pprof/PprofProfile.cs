using System.IO.Compression;

namespace TestSupport.Pprof;

/// <summary>
/// A pprof profile (<c>perftools.profiles.Profile</c>, gzipped or raw) decoded by field number with
/// <see cref="ProtoReader"/>: stacks resolved to function names, string labels. Independent of the kit's encoder, so
/// tests check what the encoder wrote against the format, not against itself.
/// </summary>
public sealed class PprofProfile
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

    // Field numbers of perftools.profiles (profile.proto).
    private const int ProfileSampleType = 1, ProfileSample = 2, ProfileLocation = 4, ProfileFunction = 5, ProfileStringTable = 6;
    private const int ProfileTimeNanos = 9, ProfileDurationNanos = 10, ProfilePeriodType = 11, ProfilePeriod = 12;
    private const int SampleLocationId = 1, SampleValue = 2, SampleLabel = 3;
    private const int LabelKey = 1, LabelStr = 2;
    private const int LocationId = 1, LocationLine = 4, LineFunctionId = 1;
    private const int FunctionId = 1, FunctionName = 2;

    private static PprofProfile Decode(byte[] raw)
    {
        var strings = new List<string>();
        var sampleTypes = new List<(long Type, long Unit)>();
        var samples = new List<ReadOnlyMemory<byte>>();
        var locations = new Dictionary<ulong, List<ulong>>(); // location -> function ids, leaf (inlined) first
        var functions = new Dictionary<ulong, long>();
        (long Type, long Unit) periodType = default;
        long period = 0, timeNanos = 0, durationNanos = 0;

        foreach (var field in ProtoReader.Fields(raw))
        {
            switch (field.Number)
            {
                case ProfileSampleType: sampleTypes.Add(ValueType(field.Bytes)); break;
                case ProfileSample: samples.Add(field.Bytes); break;
                case ProfileLocation: AddLocation(field.Bytes, locations); break;
                case ProfileFunction: AddFunction(field.Bytes, functions); break;
                case ProfileStringTable: strings.Add(field.AsString()); break;
                case ProfileTimeNanos: timeNanos = (long)field.Scalar; break;
                case ProfileDurationNanos: durationNanos = (long)field.Scalar; break;
                case ProfilePeriodType: periodType = ValueType(field.Bytes); break;
                case ProfilePeriod: period = (long)field.Scalar; break;
            }
        }

        if (strings.Count == 0 || strings[0] != "") throw new FormatException("pprof: string_table[0] must be empty");
        if (sampleTypes.Count == 0) throw new FormatException("pprof: no sample_type");
        string Str(long i) => i >= 0 && i < strings.Count ? strings[(int)i] : throw new FormatException($"pprof: string index {i} out of range");

        var decoded = new List<PprofSample>(samples.Count);
        foreach (var sample in samples)
        {
            var locationIds = RepeatedVarint(sample, SampleLocationId);
            var values = RepeatedVarint(sample, SampleValue);
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
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var label in ProtoReader.Messages(sample, SampleLabel))
            {
                var text = (long)ProtoReader.Varint(label, LabelStr);
                if (text != 0) labels[Str((long)ProtoReader.Varint(label, LabelKey))] = Str(text);
            }
            decoded.Add(new PprofSample(stack, values.Select(v => (long)v).ToArray(), labels));
        }

        return new PprofProfile
        {
            SampleTypes = sampleTypes.Select(t => (Str(t.Type), Str(t.Unit))).ToArray(),
            PeriodType = (Str(periodType.Type), Str(periodType.Unit)),
            Period = period,
            TimeNanos = timeNanos,
            DurationNanos = durationNanos,
            Samples = decoded,
        };
    }

    private static (long Type, long Unit) ValueType(ReadOnlyMemory<byte> message) =>
        ((long)ProtoReader.Varint(message, 1), (long)ProtoReader.Varint(message, 2));

    /// <summary>A repeated varint field, packed (one length-delimited field) or not (one varint per value).</summary>
    private static List<ulong> RepeatedVarint(ReadOnlyMemory<byte> message, int number)
    {
        var values = new List<ulong>();
        foreach (var field in ProtoReader.Fields(message))
        {
            if (field.Number != number) continue;
            if (field.WireType == ProtoField.Varint) values.Add(field.Scalar);
            else if (field.WireType == ProtoField.LengthDelimited) values.AddRange(PackedVarints(field.Bytes));
        }
        return values;
    }

    private static List<ulong> PackedVarints(ReadOnlyMemory<byte> packed)
    {
        var values = new List<ulong>();
        var span = packed.Span;
        var position = 0;
        while (position < span.Length)
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                if (shift >= 64) throw new FormatException("pprof: packed varint longer than 10 bytes");
                if (position >= span.Length) throw new FormatException("pprof: truncated packed varint");
                var b = span[position++];
                value |= (ulong)(b & 0x7f) << shift;
                if (b < 0x80) break;
            }
            values.Add(value);
        }
        return values;
    }

    private static void AddLocation(ReadOnlyMemory<byte> message, Dictionary<ulong, List<ulong>> locations)
    {
        var id = ProtoReader.Varint(message, LocationId);
        if (id == 0) throw new FormatException("pprof: location id 0");
        locations[id] = ProtoReader.Messages(message, LocationLine).Select(line => ProtoReader.Varint(line, LineFunctionId)).ToList();
    }

    private static void AddFunction(ReadOnlyMemory<byte> message, Dictionary<ulong, long> functions)
    {
        var id = ProtoReader.Varint(message, FunctionId);
        if (id == 0) throw new FormatException("pprof: function id 0");
        functions[id] = (long)ProtoReader.Varint(message, FunctionName);
    }
}
