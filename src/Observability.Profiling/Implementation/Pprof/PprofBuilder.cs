using System.IO.Compression;
using Observability.Profiling.Implementation.Profiles;
using Observability.Profiling.Implementation.Protobuf;
using F = Observability.Profiling.Implementation.Pprof.PprofFields;

namespace Observability.Profiling.Implementation.Pprof;

/// <summary>
/// Builds one pprof profile (<c>perftools.profiles.Profile</c>) with a single sample type: frames become
/// Functions and Locations (one Line each, no mappings, as the official .NET agent does), labels are
/// string labels. <see cref="Encode"/> returns the gzipped form that <c>go tool pprof</c> and Pyroscope read.
/// </summary>
internal sealed class PprofBuilder
{
    private readonly Dictionary<string, long> _strings = new(StringComparer.Ordinal) { [""] = 0 };
    private readonly List<string> _stringTable = new() { "" };
    private readonly Dictionary<string, ulong> _functions = new(StringComparer.Ordinal);
    private readonly List<(ulong[] Locations, long Value, (long Key, long Value)[] Labels)> _samples = new();
    private readonly long _sampleType, _sampleUnit, _periodType, _periodUnit;

    /// <summary>Creates a builder for one sample type, for example <c>cpu</c>/<c>nanoseconds</c>.</summary>
    public PprofBuilder(string sampleType, string sampleUnit, string periodType, string periodUnit, long period)
    {
        _sampleType = Intern(sampleType);
        _sampleUnit = Intern(sampleUnit);
        _periodType = Intern(periodType);
        _periodUnit = Intern(periodUnit);
        Period = period;
    }

    /// <summary>Events between samples, in the period unit (for time profiles, the sampling interval in ns).</summary>
    public long Period { get; }

    /// <summary>Start of the profiled window.</summary>
    public DateTimeOffset StartTime { get; set; } = DateTimeOffset.UtcNow;

    /// <summary>Length of the profiled window.</summary>
    public TimeSpan Duration { get; set; }

    /// <summary>Adds a sample. <paramref name="stackRootFirst"/> lists frames from the root to the leaf.</summary>
    public void Add(IReadOnlyList<string> stackRootFirst, long value, IEnumerable<KeyValuePair<string, string>>? labels = null)
    {
        ArgumentNullException.ThrowIfNull(stackRootFirst);
        if (value <= 0) return; // Pyroscope drops all-zero and negative samples anyway.
        var locations = new ulong[stackRootFirst.Count];
        for (var i = 0; i < locations.Length; i++)
        {
            // pprof lists locations leaf first.
            locations[locations.Length - 1 - i] = FunctionId(stackRootFirst[i]);
        }
        var labelList = new List<(long, long)>();
        if (labels is not null)
        {
            foreach (var (key, text) in labels)
            {
                if (string.IsNullOrEmpty(key) || string.IsNullOrEmpty(text)) continue;
                labelList.Add((Intern(key), Intern(text)));
            }
        }
        _samples.Add((locations, value, labelList.ToArray()));
    }

    /// <summary>
    /// Encodes a window's stacks as gzipped pprof whose time and duration are <paramref name="start"/> and
    /// <paramref name="duration"/>: the sampled part of the window, which the caller knows.
    /// </summary>
    public static byte[] EncodeWindow(ProfileAggregator window, DateTimeOffset start, TimeSpan duration, long periodNanos)
    {
        var type = window.Kind.SampleType();
        var builder = new PprofBuilder(type, ProfileKinds.Unit, type, ProfileKinds.Unit, Math.Max(1, periodNanos))
        {
            StartTime = start,
            Duration = duration > TimeSpan.Zero ? duration : TimeSpan.Zero,
        };
        foreach (var (key, value) in window.Snapshot())
        {
            builder.Add(key.Frames, value, key.Labels.AsPairs());
        }
        return builder.Encode();
    }

    /// <summary>Encodes the profile; gzipped unless <paramref name="gzip"/> is false.</summary>
    public byte[] Encode(bool gzip = true)
    {
        var profile = new ProtoWriter(4096);
        var scratch = new ProtoWriter();
        var inner = new ProtoWriter();

        WriteValueType(profile, scratch, F.Profile.SampleType, _sampleType, _sampleUnit);
        foreach (var (locations, value, labels) in _samples)
        {
            scratch.Clear();
            scratch.WritePacked(F.Sample.LocationId, locations);
            scratch.WritePacked(F.Sample.Value, new[] { value });
            foreach (var (key, text) in labels)
            {
                inner.Clear();
                inner.WriteInt64(F.Label.Key, key);
                inner.WriteInt64(F.Label.Str, text);
                scratch.WriteMessage(F.Sample.Label, inner);
            }
            profile.WriteMessage(F.Profile.Sample, scratch);
        }
        foreach (var (name, id) in _functions)
        {
            // Location: id, one Line pointing at the function of the same id.
            scratch.Clear();
            scratch.WriteUInt64(F.Location.Id, id);
            inner.Clear();
            inner.WriteUInt64(F.Line.FunctionId, id);
            scratch.WriteMessage(F.Location.Line, inner);
            profile.WriteMessage(F.Profile.Location, scratch);
        }
        foreach (var (name, id) in _functions)
        {
            scratch.Clear();
            scratch.WriteUInt64(F.Function.Id, id);
            var nameIndex = _strings[name];
            scratch.WriteInt64(F.Function.Name, nameIndex);
            scratch.WriteInt64(F.Function.SystemName, nameIndex);
            profile.WriteMessage(F.Profile.Function, scratch);
        }
        foreach (var s in _stringTable) profile.WriteString(F.Profile.StringTable, s);
        profile.WriteInt64(F.Profile.TimeNanos, StartTime.ToUnixTimeMilliseconds() * 1_000_000);
        profile.WriteInt64(F.Profile.DurationNanos, Duration.Ticks * 100);
        WriteValueType(profile, scratch, F.Profile.PeriodType, _periodType, _periodUnit);
        profile.WriteInt64(F.Profile.Period, Period);
        profile.WriteInt64(F.Profile.DefaultSampleType, _sampleType);

        if (!gzip) return profile.ToArray();
        using var output = new MemoryStream(profile.Length / 4 + 64);
        using (var zip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            zip.Write(profile.WrittenSpan);
        }
        return output.ToArray();
    }

    private static void WriteValueType(ProtoWriter profile, ProtoWriter scratch, int field, long type, long unit)
    {
        scratch.Clear();
        scratch.WriteInt64(F.ValueType.Type, type);
        scratch.WriteInt64(F.ValueType.Unit, unit);
        profile.WriteMessage(field, scratch);
    }

    private ulong FunctionId(string name)
    {
        if (string.IsNullOrEmpty(name)) name = "[unknown]";
        if (_functions.TryGetValue(name, out var id)) return id;
        Intern(name);
        id = (ulong)_functions.Count + 1;
        _functions.Add(name, id);
        return id;
    }

    private long Intern(string text)
    {
        if (_strings.TryGetValue(text, out var index)) return index;
        index = _stringTable.Count;
        _stringTable.Add(text);
        _strings.Add(text, index);
        return index;
    }
}
