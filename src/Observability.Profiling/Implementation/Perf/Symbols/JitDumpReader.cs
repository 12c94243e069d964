using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// Reads the runtime's jitdump (Linux perf's format: a 40-byte file header, then records that start with id, total size
/// and timestamp) while the runtime appends to it: each call reads only what came since the last one, in chunks, and
/// adds the code range of every JIT_CODE_LOAD record, named by <see cref="JitMethodNames"/>, to a table. Other records
/// are skipped by their size. A record not yet whole at the end waits for the next call; an impossible one stops the
/// reading with a reason in <see cref="Corrupt"/>; a record that stays cut short names a writer that gave up (<see cref="Stalled"/>).
/// </summary>
internal sealed class JitDumpReader : IDisposable
{
    public const uint Magic = 0x4A695444;
    public const int FileHeaderSize = 40;
    public const int RecordHeaderSize = 16;

    /// <summary>Record header, then pid, tid, vma, code_addr, code_size, code_index; the name follows.</summary>
    public const int CodeLoadFixedSize = 56;

    public const int MaxRecordSize = 64 << 20;
    public const int BufferSize = 1 << 20;
    private const uint CodeLoad = 0;
    private const int MaxCachedNames = 100_000;

    private readonly SafeFileHandle _file;
    // Methods come back at each tier and stubs by the thousand: runtime text to frame text, each frame text one string.
    private readonly Dictionary<string, string> _cleaned = new();
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _cleanedBySpan;
    private readonly Dictionary<string, string> _frames = new();
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly long _stallTicks;
    private char[] _chars = new char[512];
    private long _bufferStart;
    private int _bufferLength;
    private long _offset;
    private long _namedAt = -1;
    private long _waitOffset = -1;
    private long _waitLength;
    private long _waitSince;

    /// <summary>Opens <paramref name="path"/> so that the runtime may keep writing it and anyone may unlink it.</summary>
    public JitDumpReader(string path, TimeSpan? stallAfter = null)
    {
        _file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        _stallTicks = (long)((stallAfter ?? TimeSpan.FromSeconds(2)).TotalSeconds * Stopwatch.Frequency);
        _cleanedBySpan = _cleaned.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Why reading stopped for good (not a jitdump, an impossible record), or null.</summary>
    public string? Corrupt { get; private set; }

    /// <summary>Why no more names come (the last record stays cut short: the runtime stopped writing), or null.</summary>
    public string? Stalled { get; private set; }

    /// <summary>The process that wrote the file, from its header (0 until the header is read).</summary>
    public int ProcessId { get; private set; }

    /// <summary>Where the next record starts (0 until the header is read).</summary>
    public long Offset => _offset;

    /// <summary>Reads what was appended since the last call into <paramref name="into"/>; the number of ranges added.</summary>
    public int ReadNew(CodeRangeTable into)
    {
        if (Corrupt is not null) return 0;
        var length = RandomAccess.GetLength(_file);
        if (length < _offset)
        {
            Corrupt = $"the file shrank to {length} bytes, below the {_offset} already read";
            return 0;
        }
        if (_offset == 0 && !ReadHeader(length)) return 0;
        var added = 0;
        while (_offset + RecordHeaderSize <= length && Load(_offset, RecordHeaderSize, length))
        {
            var id = U32(_offset);
            var size = U32(_offset + 4);
            Corrupt = size < RecordHeaderSize || size > MaxRecordSize ? $"the record at byte {_offset} has an impossible size, {size}"
                : id == CodeLoad && size < CodeLoadFixedSize ? $"the code load record at byte {_offset} has {size} bytes, too few for its fields"
                : null;
            // The name precedes the code bytes: a record cut short may already name its range.
            if (Corrupt is null && id == CodeLoad && _namedAt != _offset && TryAddRange(size, length, into))
            {
                _namedAt = _offset;
                added++;
            }
            if (Corrupt is not null) return added;
            if (_offset + size > length)
            {
                Wait(length, size);
                return added;
            }
            _offset += size;
        }
        Wait(length, 0);
        return added;
    }

    public void Dispose() => _file.Dispose();

    private bool ReadHeader(long length)
    {
        if (length < FileHeaderSize || !Load(0, FileHeaderSize, length)) return false;
        var magic = U32(0);
        var size = U32(8);
        Corrupt = magic == BinaryPrimitives.ReverseEndianness(Magic) ? "the jitdump was written in the other byte order"
            : magic != Magic ? $"not a jitdump (magic 0x{magic:X8})"
            : U32(4) != 1 ? $"jitdump version {U32(4)}, only 1 is known"
            : size < FileHeaderSize || size > BufferSize ? $"the jitdump header has an impossible size, {size}"
            : null;
        if (Corrupt is not null || length < size) return false;
        ProcessId = (int)U32(20);
        _offset = size;
        return true;
    }

    private bool TryAddRange(uint size, long length, CodeRangeTable into)
    {
        var available = (int)Math.Min(Math.Min(size, length - _offset), BufferSize);
        if (available < CodeLoadFixedSize || !Load(_offset, available, length)) return false;
        var at = (int)(_offset - _bufferStart);
        var name = _buffer.AsSpan(at + CodeLoadFixedSize, available - CodeLoadFixedSize);
        var end = name.IndexOf((byte)0);
        if (end < 0)
        {
            // Wait for the rest of the name unless all of the record (or all a chunk can hold) is there.
            if (available == size || available == BufferSize) Corrupt = $"the code load record at byte {_offset} has no end to its name";
            return false;
        }
        var start = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(at + 32));
        var codeSize = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(at + 40));
        into.Add(start, codeSize, Clean(name[..end]));
        return true;
    }

    /// <summary>Notes a wait at the end; the same cut-short record with no growth for long means the writer gave up.</summary>
    private void Wait(long length, uint size)
    {
        if (size == 0 || _offset != _waitOffset || length != _waitLength)
        {
            (_waitOffset, _waitLength, _waitSince) = (size == 0 ? -1 : _offset, length, Stopwatch.GetTimestamp());
            Stalled = null;
            return;
        }
        if (Stalled is null && Stopwatch.GetTimestamp() - _waitSince >= _stallTicks)
        {
            Stalled = $"the runtime stopped writing its jitdump: the record at byte {_offset} should have {size} bytes and has " +
                $"{length - _offset}: code compiled from now on stays unnamed. .NET 10 runtimes do this on a stub block they cannot " +
                "read (dotnet/runtime#132935); starting the process with DOTNET_PerfMapStubGranularity=2 avoids it";
        }
    }

    /// <summary>Makes the chunk hold <c>[position, position + count)</c>, reading as much as fits from there.</summary>
    private bool Load(long position, int count, long length)
    {
        if (position >= _bufferStart && position + count <= _bufferStart + _bufferLength) return true;
        var want = (int)Math.Min(BufferSize, length - position);
        var read = 0;
        while (read < want)
        {
            var n = RandomAccess.Read(_file, _buffer.AsSpan(read, want - read), position + read);
            if (n <= 0) break;
            read += n;
        }
        (_bufferStart, _bufferLength) = (position, read);
        return read >= count;
    }

    private uint U32(long position) => BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan((int)(position - _bufferStart)));

    private string Clean(ReadOnlySpan<byte> utf8)
    {
        if (Encoding.UTF8.GetMaxCharCount(utf8.Length) > _chars.Length) _chars = new char[Encoding.UTF8.GetMaxCharCount(utf8.Length)];
        var text = _chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, _chars));
        if (_cleanedBySpan.TryGetValue(text, out var known)) return known;
        if (_cleaned.Count >= MaxCachedNames)
        {
            _cleaned.Clear();
            _frames.Clear();
        }
        var runtimeName = text.ToString();
        var frame = JitMethodNames.Clean(runtimeName);
        if (!_frames.TryAdd(frame, frame)) frame = _frames[frame];
        _cleaned[runtimeName] = frame;
        return frame;
    }
}
