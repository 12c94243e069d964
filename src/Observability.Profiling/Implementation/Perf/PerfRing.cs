using System.Runtime.InteropServices;

namespace Observability.Profiling.Implementation.Perf;

/// <summary>
/// One perf ring buffer, mapped from an event's fd: a metadata page, then 2^n data pages the kernel writes records
/// into. The reader consumes from <c>data_tail</c> to <c>data_head</c> and publishes the new tail, which frees the
/// space for the kernel. The records are copied out, then decoded here too (<see cref="TryReadSample"/>): the layout of a
/// sample is known in this one place.
/// </summary>
internal sealed unsafe class PerfRing : IDisposable
{
    /// <summary>The largest record: its size is a 16-bit header field.</summary>
    public const int MaxRecordSize = ushort.MaxValue + 1;

    // Where a sample record (PerfEventSet.SampleType) has its thread id and time: after the header (8), ip (8) and pid (4).
    private const int SampleTidOffset = 20;
    private const int SampleTimeOffset = 24;

    private readonly byte* _base;
    private readonly nuint _length;
    private readonly byte* _data;
    private readonly ulong _dataSize;
    private readonly bool _mapped;

    private PerfRing(byte* mapped, nuint length, bool ownsMapping)
    {
        _base = mapped;
        _length = length;
        _mapped = ownsMapping;
        var offset = *(ulong*)(mapped + PerfConstants.MmapDataOffset);
        _dataSize = *(ulong*)(mapped + PerfConstants.MmapDataSize);
        if (_dataSize == 0)
        {
            // Kernels before 4.1 leave the layout fields zero: data starts after the first page.
            offset = (ulong)Environment.SystemPageSize;
            _dataSize = length - (nuint)Environment.SystemPageSize;
        }
        _data = mapped + offset;
    }

    /// <summary>Bytes of the data area.</summary>
    public ulong DataSize => _dataSize;

    /// <summary>Maps the ring of <paramref name="fd"/> with <paramref name="dataPages"/> data pages (a power of two); the errno on failure.</summary>
    public static PerfRing? Map(int fd, int dataPages, out int errno)
    {
        var length = (nuint)((dataPages + 1) * Environment.SystemPageSize);
        var mapped = PerfNative.mmap(0, length, PerfNative.ProtRead | PerfNative.ProtWrite, PerfNative.MapShared, fd, 0);
        if (mapped == -1)
        {
            errno = Marshal.GetLastPInvokeError();
            return null;
        }
        errno = 0;
        return new PerfRing((byte*)mapped, length, ownsMapping: true);
    }

    /// <summary>A ring over memory laid out as the kernel maps it, which the caller owns and frees.</summary>
    public static PerfRing Over(nint memory, nuint length) => new((byte*)memory, length, ownsMapping: false);

    /// <summary>Whether the kernel wrote records the reader has not consumed.</summary>
    public bool HasData => Volatile.Read(ref *(ulong*)(_base + PerfConstants.MmapDataHead)) != *(ulong*)(_base + PerfConstants.MmapDataTail);

    /// <summary>Whether records were written past <paramref name="cursor"/> (and past what the reader consumed).</summary>
    public bool HasDataAfter(ulong cursor) =>
        Volatile.Read(ref *(ulong*)(_base + PerfConstants.MmapDataHead)) > Math.Max(cursor, *(ulong*)(_base + PerfConstants.MmapDataTail));

    /// <summary>
    /// Copies whole unread records into <paramref name="into"/>, as many as fit, lists each one in
    /// <paramref name="records"/> (cleared first) and frees their space. True when records stay unread because
    /// <paramref name="into"/> is full: the caller copies again. The caller serialises this with <see cref="Peek"/>.
    /// </summary>
    public bool CopyOut(byte[] into, List<PerfRecord> records)
    {
        if (into.Length < MaxRecordSize) throw new ArgumentException($"The buffer must hold a record of {MaxRecordSize} bytes.", nameof(into));
        records.Clear();
        var headPointer = (ulong*)(_base + PerfConstants.MmapDataHead);
        var tailPointer = (ulong*)(_base + PerfConstants.MmapDataTail);
        // Acquire: the records before head are fully written once head is seen.
        var head = Volatile.Read(ref *headPointer);
        var tail = *tailPointer;
        var used = 0;
        var full = false;
        while (tail < head)
        {
            var offset = tail % _dataSize;
            // Records are 8-byte aligned and the area a multiple of 8: a header never straddles the end.
            var type = *(uint*)(_data + offset);
            var size = *(ushort*)(_data + offset + 6);
            if (size < 8 || size > head - tail)
            {
                tail = head; // A torn or corrupt record: drop the rest of this batch rather than loop on it.
                break;
            }
            if (used + size > into.Length)
            {
                full = true;
                break;
            }
            var first = (int)Math.Min(size, _dataSize - offset);
            new ReadOnlySpan<byte>(_data + offset, first).CopyTo(into.AsSpan(used));
            // A record that wraps past the end of the data area continues at its start.
            if (first < size) new ReadOnlySpan<byte>(_data, size - first).CopyTo(into.AsSpan(used + first));
            records.Add(new PerfRecord(type, used, size));
            used += size;
            tail += size;
        }
        // Release: the copies are done before the kernel may write over them.
        Interlocked.MemoryBarrier();
        Volatile.Write(ref *tailPointer, tail);
        return full;
    }

    /// <summary>
    /// Reads the thread id and time of the samples written since <paramref name="cursor"/> without consuming them
    /// (the reader still gets them), and moves the cursor to the head. The caller serialises this with <see cref="CopyOut"/>.
    /// </summary>
    public void Peek(ref ulong cursor, Action<int, ulong> onSample)
    {
        var head = Volatile.Read(ref *(ulong*)(_base + PerfConstants.MmapDataHead));
        var position = Math.Max(cursor, *(ulong*)(_base + PerfConstants.MmapDataTail));
        while (position < head)
        {
            var type = ReadUInt32(position);
            var size = ReadUInt32(position + 4) >> 16;
            if (size < 8 || size > head - position) break;
            if (type == PerfConstants.RecordSample && size >= SampleTimeOffset + 8)
            {
                onSample((int)ReadUInt32(position + SampleTidOffset), ReadUInt64(position + SampleTimeOffset));
            }
            position += size;
        }
        cursor = head;
    }

    /// <summary>
    /// Reads a sample record (header included) laid out for <see cref="PerfEventSet.SampleType"/> with the x86-64
    /// register mask bp, sp, ip; false when the record is shorter than its fields say.
    /// </summary>
    public static bool TryReadSample(ReadOnlySpan<byte> record, out PerfSample sample)
    {
        sample = default;
        var reader = new RecordReader(record[8..]);
        if (!reader.TryU64(out _)) return false; // PERF_SAMPLE_IP: the callchain's first entry says the same
        if (!reader.TryU32(out var pid) || !reader.TryU32(out var tid)) return false;
        if (!reader.TryU64(out var time)) return false;
        if (!reader.TryU64(out var depth) || depth > 4096 || !reader.TryU64s((int)depth, out var callchain)) return false;
        if (!reader.TryU64(out var abi)) return false;
        ulong bp = 0, sp = 0, ip = 0;
        var stack = ReadOnlySpan<byte>.Empty;
        if (abi != 0)
        {
            // Registers in mask order: bp, sp, ip.
            if (!reader.TryU64(out bp) || !reader.TryU64(out sp) || !reader.TryU64(out ip)) return false;
        }
        // PERF_SAMPLE_STACK_USER: size, size bytes, then the valid length when size is not zero.
        if (!reader.TryU64(out var size)) return false;
        if (size > 0)
        {
            if (size > int.MaxValue || !reader.TryBytes((int)size, out var data) || !reader.TryU64(out var valid)) return false;
            stack = data[..(int)Math.Min(valid, size)];
        }
        sample = new PerfSample((int)pid, (int)tid, time, callchain, bp, sp, ip, stack);
        return true;
    }

    private ref struct RecordReader
    {
        private ReadOnlySpan<byte> _rest;

        public RecordReader(ReadOnlySpan<byte> span) => _rest = span;

        public bool TryU32(out uint value)
        {
            var read = TryBytes(4, out var bytes);
            value = read ? BitConverter.ToUInt32(bytes) : 0;
            return read;
        }

        public bool TryU64(out ulong value)
        {
            var read = TryBytes(8, out var bytes);
            value = read ? BitConverter.ToUInt64(bytes) : 0;
            return read;
        }

        public bool TryU64s(int count, out ReadOnlySpan<ulong> values)
        {
            var read = TryBytes(count * 8, out var bytes);
            values = MemoryMarshal.Cast<byte, ulong>(bytes);
            return read;
        }

        public bool TryBytes(int count, out ReadOnlySpan<byte> bytes)
        {
            if (_rest.Length < count)
            {
                bytes = default;
                return false;
            }
            bytes = _rest[..count];
            _rest = _rest[count..];
            return true;
        }
    }

    /// <summary>Reads how many samples a <c>PERF_RECORD_LOST</c> record (header, id, lost) says the kernel could not write.</summary>
    public static bool TryReadLost(ReadOnlySpan<byte> record, out ulong lost)
    {
        lost = record.Length >= 24 ? BitConverter.ToUInt64(record[16..]) : 0;
        return record.Length >= 24;
    }

    private uint ReadUInt32(ulong position) => *(uint*)(_data + position % _dataSize);

    // An 8-aligned 8-byte field never straddles the end of the data area.
    private ulong ReadUInt64(ulong position) => *(ulong*)(_data + position % _dataSize);

    public void Dispose()
    {
        if (_mapped) PerfNative.munmap((nint)_base, _length);
    }
}

/// <summary>One record copied out of a ring: its header type, and where its bytes (header included) are in the copy.</summary>
internal readonly record struct PerfRecord(uint Type, int Offset, int Length);
