using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Observability.Profiling.Implementation.Perf;

namespace Observability.Profiling.Tests.Perf;

/// <summary>
/// Reading a ring laid out as the kernel maps it (metadata page, then the data area), in memory the test owns: records
/// come out whole and in order, wrapped ones included, and space is freed only for what was copied.
/// </summary>
public sealed class PerfRingTests : IDisposable
{
    private const int Page = 4096;
    private readonly int _dataSize = 32 * Page;
    private readonly nint _memory;
    private ulong _head;

    public PerfRingTests()
    {
        var dataSize = _dataSize;
        _memory = Marshal.AllocHGlobal(Page + dataSize);
        for (var i = 0; i < Page + dataSize; i += 8) Marshal.WriteInt64(_memory, i, 0);
        Marshal.WriteInt64(_memory, PerfConstants.MmapDataOffset, Page);
        Marshal.WriteInt64(_memory, PerfConstants.MmapDataSize, dataSize);
    }

    public void Dispose() => Marshal.FreeHGlobal(_memory);

    [Fact]
    public void A_record_that_wraps_past_the_end_comes_out_whole()
    {
        using var ring = PerfRing.Over(_memory, (nuint)(Page + _dataSize));
        // Start near the end, as a reader that has consumed almost a whole lap would.
        _head = (ulong)_dataSize - 40;
        SetTail(_head);
        var stack = Enumerable.Range(0, 64).Select(i => (byte)i).ToArray();
        var written = Write(SampleRecord(pid: 7, tid: 8, time: 9_000, new ulong[] { 0x1111, 0x2222 }, stack));
        var records = new List<PerfRecord>();
        var copy = new byte[PerfRing.MaxRecordSize];

        Assert.False(ring.CopyOut(copy, records));

        var record = Assert.Single(records);
        Assert.Equal(written, copy.AsSpan(record.Offset, record.Length).ToArray());
        Assert.True(PerfRing.TryReadSample(copy.AsSpan(record.Offset, record.Length), out var sample));
        Assert.Equal((7, 8, 9_000UL), (sample.Pid, sample.Tid, sample.Time));
        Assert.Equal(new ulong[] { 0x1111, 0x2222 }, sample.Callchain.ToArray());
        Assert.Equal(stack, sample.Stack.ToArray());
        Assert.Equal(_head, Tail());
    }

    [Fact]
    public void A_full_buffer_leaves_the_rest_unread_for_the_next_copy()
    {
        using var ring = PerfRing.Over(_memory, (nuint)(Page + _dataSize));
        var stack = new byte[3_904]; // A record of 4 000 bytes: 16 fit in the buffer, the 17th does not.
        for (var i = 0; i < 25; i++) Write(SampleRecord(1, 2, (ulong)i, new ulong[] { 0xabc }, stack));
        var records = new List<PerfRecord>();
        var copy = new byte[PerfRing.MaxRecordSize];
        var times = new List<ulong>();

        var more = ring.CopyOut(copy, records);
        ReadTimes(copy, records, times);

        Assert.True(more);
        Assert.Equal(16, records.Count);
        Assert.Equal(16UL * 4_000, Tail());
        Assert.True(ring.HasData);

        Assert.False(ring.CopyOut(copy, records));
        ReadTimes(copy, records, times);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => (ulong)i), times);
        Assert.Equal(_head, Tail());
        Assert.False(ring.HasData);
    }

    [Fact]
    public void A_torn_record_frees_the_rest_of_the_batch_instead_of_stopping_the_reader()
    {
        using var ring = PerfRing.Over(_memory, (nuint)(Page + _dataSize));
        Write(SampleRecord(1, 2, 3, new ulong[] { 0xabc }, Array.Empty<byte>()));
        var torn = new byte[16];
        BinaryPrimitives.WriteUInt32LittleEndian(torn, PerfConstants.RecordSample);
        BinaryPrimitives.WriteUInt16LittleEndian(torn.AsSpan(6), 4); // Shorter than its own header.
        Write(torn);
        Write(SampleRecord(1, 2, 4, new ulong[] { 0xabc }, Array.Empty<byte>()));
        var records = new List<PerfRecord>();

        Assert.False(ring.CopyOut(new byte[PerfRing.MaxRecordSize], records));

        Assert.Single(records);
        Assert.Equal(_head, Tail());
    }

    [Fact]
    public void Peek_reads_the_thread_and_time_that_the_decoder_reads_and_leaves_the_records_unread()
    {
        using var ring = PerfRing.Over(_memory, (nuint)(Page + _dataSize));
        Write(SampleRecord(pid: 5, tid: 4242, time: 123_456_789, new ulong[] { 1, 2, 3 }, new byte[24]));
        Write(LostRecord(lost: 17));
        var peeked = new List<(int, ulong)>();
        var cursor = 0UL;

        ring.Peek(ref cursor, (tid, time) => peeked.Add((tid, time)));

        Assert.Equal(new[] { (4242, 123_456_789UL) }, peeked);
        Assert.Equal(_head, cursor);
        Assert.True(ring.HasData);
        Assert.False(ring.HasDataAfter(cursor));
        var records = new List<PerfRecord>();
        var copy = new byte[PerfRing.MaxRecordSize];
        ring.CopyOut(copy, records);
        Assert.True(PerfRing.TryReadSample(copy.AsSpan(records[0].Offset, records[0].Length), out var sample));
        Assert.Equal((4242, 123_456_789UL), (sample.Tid, sample.Time));
        Assert.Equal(PerfConstants.RecordLost, records[1].Type);
        Assert.True(PerfRing.TryReadLost(copy.AsSpan(records[1].Offset, records[1].Length), out var lost));
        Assert.Equal(17UL, lost);
    }

    [Theory]
    [InlineData(0)] // the header alone
    [InlineData(8)] // up to the ip
    [InlineData(12)] // the pid, not the tid
    [InlineData(48)] // callchain depth says 3, two entries present
    [InlineData(88)] // the registers, not the stack's size
    public void A_sample_shorter_than_its_fields_is_refused(int keep)
    {
        var record = SampleRecord(1, 2, 3, new ulong[] { 1, 2, 3 }, new byte[16]);

        Assert.False(PerfRing.TryReadSample(record.AsSpan(0, 8 + keep), out _));
    }

    [Fact]
    public void A_buffer_that_cannot_hold_the_largest_record_is_refused()
    {
        using var ring = PerfRing.Over(_memory, (nuint)(Page + _dataSize));

        Assert.Throws<ArgumentException>(() => ring.CopyOut(new byte[1024], new List<PerfRecord>()));
    }

    private static void ReadTimes(byte[] copy, List<PerfRecord> records, List<ulong> times)
    {
        foreach (var record in records)
        {
            Assert.True(PerfRing.TryReadSample(copy.AsSpan(record.Offset, record.Length), out var sample));
            times.Add(sample.Time);
        }
    }

    /// <summary>A sample laid out as <see cref="PerfEventSet.SampleType"/> asks: ip, pid/tid, time, callchain, regs (bp, sp, ip), user stack.</summary>
    private static byte[] SampleRecord(int pid, int tid, ulong time, ulong[] callchain, byte[] stack)
    {
        var words = new List<byte>();
        void U64(ulong value) => words.AddRange(BitConverter.GetBytes(value));
        U64(callchain.Length > 0 ? callchain[0] : 0);
        words.AddRange(BitConverter.GetBytes(pid));
        words.AddRange(BitConverter.GetBytes(tid));
        U64(time);
        U64((ulong)callchain.Length);
        foreach (var address in callchain) U64(address);
        U64(2); // PERF_SAMPLE_REGS_ABI_64
        U64(0x7ffd_0000_2000);
        U64(0x7ffd_0000_1000);
        U64(callchain.Length > 0 ? callchain[0] : 0);
        U64((ulong)stack.Length);
        if (stack.Length > 0)
        {
            words.AddRange(stack);
            U64((ulong)stack.Length);
        }
        return WithHeader(PerfConstants.RecordSample, words);
    }

    private static byte[] LostRecord(ulong lost)
    {
        var words = new List<byte>();
        words.AddRange(BitConverter.GetBytes(99UL)); // id
        words.AddRange(BitConverter.GetBytes(lost));
        return WithHeader(PerfConstants.RecordLost, words);
    }

    private static byte[] WithHeader(uint type, List<byte> body)
    {
        var record = new byte[8 + body.Count];
        BinaryPrimitives.WriteUInt32LittleEndian(record, type);
        BinaryPrimitives.WriteUInt16LittleEndian(record.AsSpan(6), (ushort)record.Length);
        body.CopyTo(record, 8);
        return record;
    }

    /// <summary>Writes a record at the head, as the kernel does (wrapping at the end of the data area), then moves the head.</summary>
    private byte[] Write(byte[] record)
    {
        for (var i = 0; i < record.Length; i++)
        {
            Marshal.WriteByte(_memory, Page + (int)((_head + (ulong)i) % (ulong)_dataSize), record[i]);
        }
        _head += (ulong)record.Length;
        Marshal.WriteInt64(_memory, PerfConstants.MmapDataHead, (long)_head);
        return record;
    }

    private void SetTail(ulong tail)
    {
        Marshal.WriteInt64(_memory, PerfConstants.MmapDataTail, (long)tail);
        Marshal.WriteInt64(_memory, PerfConstants.MmapDataHead, (long)tail);
    }

    private ulong Tail() => (ulong)Marshal.ReadInt64(_memory, PerfConstants.MmapDataTail);
}
