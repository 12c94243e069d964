using System.Runtime.InteropServices;

namespace Observability.Profiling.Implementation.Perf;

/// <summary>
/// One perf ring buffer, mapped from an event's fd: a metadata page, then 2^n data pages the kernel writes records
/// into. The reader consumes from <c>data_tail</c> to <c>data_head</c> and publishes the new tail, which frees the
/// space for the kernel. Records that wrap past the end of the data area are copied into a scratch buffer.
/// </summary>
internal sealed unsafe class PerfRing : IDisposable
{
    private readonly byte* _base;
    private readonly nuint _length;
    private readonly byte* _data;
    private readonly ulong _dataSize;
    private readonly byte[] _scratch = new byte[ushort.MaxValue + 1];

    private PerfRing(byte* mapped, nuint length)
    {
        _base = mapped;
        _length = length;
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
        return new PerfRing((byte*)mapped, length);
    }

    /// <summary>Whether the kernel wrote records the reader has not consumed.</summary>
    public bool HasData => Volatile.Read(ref *(ulong*)(_base + PerfConstants.MmapDataHead)) != *(ulong*)(_base + PerfConstants.MmapDataTail);

    /// <summary>Whether records were written past <paramref name="cursor"/> (and past what the reader consumed).</summary>
    public bool HasDataAfter(ulong cursor) =>
        Volatile.Read(ref *(ulong*)(_base + PerfConstants.MmapDataHead)) > Math.Max(cursor, *(ulong*)(_base + PerfConstants.MmapDataTail));

    /// <summary>Hands every unread record (header type, bytes including the 8-byte header) to <paramref name="onRecord"/>, then frees their space.</summary>
    public int Drain<TState>(RecordHandler<TState> onRecord, ref TState state)
    {
        var headPointer = (ulong*)(_base + PerfConstants.MmapDataHead);
        var tailPointer = (ulong*)(_base + PerfConstants.MmapDataTail);
        // Acquire: the records before head are fully written once head is seen.
        var head = Volatile.Read(ref *headPointer);
        var tail = *tailPointer;
        var records = 0;
        while (tail < head)
        {
            var offset = tail % _dataSize;
            // Records are 8-byte aligned and the area a multiple of 8: a header never straddles the end.
            var type = *(uint*)(_data + offset);
            var size = *(ushort*)(_data + offset + 6);
            if (size < 8 || size > head - tail) break; // A torn or corrupt record: stop and drop the rest below.
            if (offset + size <= _dataSize)
            {
                onRecord(type, new ReadOnlySpan<byte>(_data + offset, size), ref state);
            }
            else
            {
                var first = (int)(_dataSize - offset);
                new ReadOnlySpan<byte>(_data + offset, first).CopyTo(_scratch);
                new ReadOnlySpan<byte>(_data, size - first).CopyTo(_scratch.AsSpan(first));
                onRecord(type, _scratch.AsSpan(0, size), ref state);
            }
            tail += size;
            records++;
        }
        // Everything up to head is consumed (a corrupt record drops the rest of this batch rather than looping on it).
        Interlocked.MemoryBarrier();
        Volatile.Write(ref *tailPointer, head);
        return records;
    }

    /// <summary>
    /// Reads the thread id and time of the samples written since <paramref name="cursor"/> without consuming them
    /// (the reader still gets them), and moves the cursor to the head. The caller serialises this with <see cref="Drain"/>.
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
            // Sample layout: header (8), ip (8), pid (4), tid (4), time (8).
            if (type == PerfConstants.RecordSample && size >= 32) onSample((int)ReadUInt32(position + 20), ReadUInt64(position + 24));
            position += size;
        }
        cursor = head;
    }

    private uint ReadUInt32(ulong position) => *(uint*)(_data + position % _dataSize);

    // An 8-aligned 8-byte field never straddles the end of the data area.
    private ulong ReadUInt64(ulong position) => *(ulong*)(_data + position % _dataSize);

    public void Dispose() => PerfNative.munmap((nint)_base, _length);

    public delegate void RecordHandler<TState>(uint type, ReadOnlySpan<byte> record, ref TState state);
}
