using System.Buffers.Binary;
using System.Text;
using Observability.Profiling.Implementation.Perf.Symbols;

namespace Observability.Profiling.Tests.Perf;

/// <summary>The jitdump reader on files written here as the runtime writes them: appended to while read.</summary>
public sealed class JitDumpReaderTests : IDisposable
{
    private const string MethodA = "instance int32 [App] App.Orders::List(int32)[QuickJitted]";
    private const string MethodB = "void [App] App.Jwt::Verify(string)[Tier1]";
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"jitdump-test-{Guid.NewGuid():N}.dump");

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void Code_loads_are_named_and_other_records_skipped_by_their_size()
    {
        Append(Header(), Load(0x1000, 0x40, MethodA), Record(2, 40), Record(99, 1000),
            Load(0x2000, 0x400, "stub CreateHelper<DynamicHelper>", codeBytes: 0), Load(0x3000, 0x10, MethodB));
        var table = new CodeRangeTable();
        using var reader = new JitDumpReader(_path);
        Assert.Equal(3, reader.ReadNew(table));
        Assert.Equal("App.Orders.List", table.Find(0x103f));
        Assert.Null(table.Find(0x1040));
        Assert.Equal("[stub: CreateHelper<DynamicHelper>]", table.Find(0x23ff));
        Assert.Equal("App.Jwt.Verify", table.Find(0x3000));
        Assert.Equal(new FileInfo(_path).Length, reader.Offset);
        Assert.Equal(4321, reader.ProcessId);
        Assert.Null(reader.Corrupt);
        Assert.Equal(0, reader.ReadNew(table));
        // Only what is appended afterwards is read next time.
        Append(Load(0x4000, 0x10, MethodB.Replace("Tier1", "OSR", StringComparison.Ordinal)));
        Assert.Equal(1, reader.ReadNew(table));
        Assert.Same(table.Find(0x3000), table.Find(0x4000));
    }

    [Theory]
    [InlineData("file header", 0, 2)]
    [InlineData("record header", 0, 2)]
    [InlineData("fixed fields", 0, 2)]
    [InlineData("name", 0, 2)]
    [InlineData("code", 1, 1)] // the name is whole: the range is known already
    public void A_record_cut_by_the_end_of_the_file_is_read_in_the_next_call(string cutInside, int first, int second)
    {
        var nameEnd = 40 + JitDumpReader.CodeLoadFixedSize + Encoding.UTF8.GetByteCount(MethodA) + 1;
        var cut = cutInside switch { "file header" => 20, "record header" => 40 + 10, "fixed fields" => 40 + 50, "name" => nameEnd - 5, _ => nameEnd + 10 };
        var bytes = Concat(Header(), Load(0x1000, 0x40, MethodA), Load(0x2000, 0x40, MethodB));
        Append(bytes[..cut]);
        var table = new CodeRangeTable();
        using var reader = new JitDumpReader(_path);
        Assert.Equal(first, reader.ReadNew(table));
        Append(bytes[cut..]);
        Assert.Equal(second, reader.ReadNew(table));
        Assert.Equal("App.Orders.List", table.Find(0x1000));
        Assert.Equal("App.Jwt.Verify", table.Find(0x2000));
        Assert.Equal(bytes.Length, reader.Offset);
    }

    [Fact]
    public void A_record_that_stays_cut_short_means_the_runtime_stopped_writing()
    {
        var record = Load(0x7000, 0x10000, "stub ReportStubBlock<MethodCallThunk>");
        Append(Header(), record[..(record.Length / 2)]);
        var table = new CodeRangeTable();
        using var reader = new JitDumpReader(_path, stallAfter: TimeSpan.Zero);
        Assert.Equal(1, reader.ReadNew(table));
        Assert.Null(reader.Stalled);
        Assert.Equal(0, reader.ReadNew(table));
        Assert.Contains("stopped writing", reader.Stalled, StringComparison.Ordinal);
        Assert.Equal("[stub: ReportStubBlock<MethodCallThunk>]", table.Find(0x7000));
        Append(record[(record.Length / 2)..], Load(0x20000, 0x10, MethodA));
        Assert.Equal(1, reader.ReadNew(table));
        Assert.Null(reader.Stalled);
        Assert.Equal(2, table.Count);
    }

    [Fact]
    public void Records_larger_than_a_chunk_and_records_across_chunks_are_read()
    {
        var parts = new List<byte[]> { Header(), Load(0x10_0000, 3 << 20, MethodA) };
        for (var i = 0; i < 20_000; i++) parts.Add(Load(0x1000_0000 + (ulong)i * 0x100, 0x80, $"void [App] App.Generated::M{i}()[QuickJitted]"));
        Append(parts.ToArray());
        var table = new CodeRangeTable();
        using var reader = new JitDumpReader(_path);
        Assert.Equal(20_001, reader.ReadNew(table));
        Assert.Equal("App.Orders.List", table.Find(0x10_0000 + (3 << 20) - 1));
        Assert.Equal("App.Generated.M19999", table.Find(0x1000_0000 + 19_999UL * 0x100));
        Assert.Null(reader.Corrupt);
    }

    [Theory]
    [InlineData(0u, 8u, "impossible size")]
    [InlineData(0u, (64u << 20) + 1, "impossible size")]
    [InlineData(5u, 0u, "impossible size")]
    [InlineData(0u, 40u, "too few for its fields")]
    public void An_impossible_record_stops_the_reading_with_a_reason(uint id, uint size, string reason)
    {
        // Only the header matters: the reading stops there.
        var bad = new byte[Math.Clamp(size, 16u, 64u)];
        BinaryPrimitives.WriteUInt32LittleEndian(bad, id);
        BinaryPrimitives.WriteUInt32LittleEndian(bad.AsSpan(4), size);
        Append(Header(), Load(0x1000, 0x10, MethodA), bad, Load(0x2000, 0x10, MethodB));
        var table = new CodeRangeTable();
        using var reader = new JitDumpReader(_path);
        Assert.Equal(1, reader.ReadNew(table));
        Assert.Contains(reason, reader.Corrupt, StringComparison.Ordinal);
        Assert.Equal(0, reader.ReadNew(table));
        Assert.Null(table.Find(0x2000));
    }

    [Fact]
    public void A_name_without_its_end_stops_the_reading()
    {
        // The record's size ends it before the name's NUL.
        var record = Load(0x1000, 0x10, MethodA, codeBytes: 0)[..^1];
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)record.Length);
        Append(Header(), record, Load(0x2000, 0x10, MethodB));
        var table = new CodeRangeTable();
        using var reader = new JitDumpReader(_path);
        Assert.Equal(0, reader.ReadNew(table));
        Assert.Contains("no end to its name", reader.Corrupt, StringComparison.Ordinal);
        Assert.Equal(0, table.Count);
    }

    [Theory]
    [InlineData(0x4454694Au, 1u, "other byte order")]
    [InlineData(0x464C457Fu, 1u, "not a jitdump")]
    [InlineData(JitDumpReader.Magic, 2u, "version 2")]
    public void A_file_that_is_not_a_jitdump_is_refused(uint magic, uint version, string reason)
    {
        Append(Header(magic, version), Load(0x1000, 0x10, MethodA));
        var table = new CodeRangeTable();
        using var reader = new JitDumpReader(_path);
        Assert.Equal(0, reader.ReadNew(table));
        Assert.Contains(reason, reader.Corrupt, StringComparison.Ordinal);
        Assert.Equal(0, table.Count);
    }

    private void Append(params byte[][] parts)
    {
        using var file = new FileStream(_path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        foreach (var part in parts) file.Write(part);
    }

    private static byte[] Header(uint magic = JitDumpReader.Magic, uint version = 1)
    {
        var header = new byte[JitDumpReader.FileHeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header, magic);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), version);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), JitDumpReader.FileHeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), 62);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(20), 4321);
        return header;
    }

    /// <summary>A JIT_CODE_LOAD record; <paramref name="codeBytes"/> -1 carries code_size bytes of code, as the runtime's do.</summary>
    private static byte[] Load(ulong address, ulong size, string name, int codeBytes = -1)
    {
        var text = Encoding.UTF8.GetBytes(name);
        var record = new byte[JitDumpReader.CodeLoadFixedSize + text.Length + 1 + (codeBytes < 0 ? (int)size : codeBytes)];
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)record.Length);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(24), address);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(32), address);
        BinaryPrimitives.WriteUInt64LittleEndian(record.AsSpan(40), size);
        text.CopyTo(record, JitDumpReader.CodeLoadFixedSize);
        record.AsSpan(JitDumpReader.CodeLoadFixedSize + text.Length + 1).Fill(0xCC);
        return record;
    }

    private static byte[] Record(uint id, int size)
    {
        var record = new byte[size];
        BinaryPrimitives.WriteUInt32LittleEndian(record, id);
        BinaryPrimitives.WriteUInt32LittleEndian(record.AsSpan(4), (uint)size);
        return record;
    }

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
