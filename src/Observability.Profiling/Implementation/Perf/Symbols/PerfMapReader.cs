using System.Globalization;
using System.Text;

namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// Reads the runtime's perf map (<c>perf-PID.map</c>: one <c>START SIZE NAME</c> line per JIT'd method or stub, hex
/// numbers) as it grows. The runtime writes JIT'd code there as well as to its jitdump, and unlike the jitdump's writer
/// the perf map's never stops on a stub block it cannot copy, so newly JIT'd code always gets its name.
/// Only complete lines are read; a line being written waits for the next call.
/// </summary>
internal sealed class PerfMapReader : IDisposable
{
    private const int MaxLine = 8192;
    private readonly FileStream _file;
    private readonly byte[] _buffer = new byte[1 << 16];
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private long _offset;

    public PerfMapReader(string path) =>
        _file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.None);

    /// <summary>Lines that were not a perf map entry (skipped).</summary>
    public long Skipped { get; private set; }

    /// <summary>Adds the entries written since the last call to <paramref name="into"/>; the number added.</summary>
    public int ReadNew(CodeRangeTable into)
    {
        var added = 0;
        while (true)
        {
            var read = RandomAccess.Read(_file.SafeFileHandle, _buffer, _offset);
            if (read <= 0) return added;
            var span = _buffer.AsSpan(0, read);
            var consumed = 0;
            while (true)
            {
                var newline = span[consumed..].IndexOf((byte)'\n');
                if (newline < 0) break;
                if (Parse(span.Slice(consumed, newline), into)) added++;
                consumed += newline + 1;
            }
            if (consumed == 0)
            {
                // A line longer than the buffer is no perf map line: skip past it rather than wait forever.
                if (read < _buffer.Length) return added;
                Skipped++;
                consumed = read;
            }
            _offset += consumed;
        }
    }

    private bool Parse(ReadOnlySpan<byte> line, CodeRangeTable into)
    {
        var first = line.IndexOf((byte)' ');
        if (first <= 0 || line.Length > MaxLine)
        {
            Skipped++;
            return false;
        }
        var rest = line[(first + 1)..];
        var second = rest.IndexOf((byte)' ');
        var start = line[..first];
        if (start.StartsWith("0x"u8)) start = start[2..];
        if (second <= 0 ||
            !ulong.TryParse(Encoding.ASCII.GetString(start), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var address) ||
            !ulong.TryParse(Encoding.ASCII.GetString(rest[..second]), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var size) ||
            size == 0)
        {
            Skipped++;
            return false;
        }
        var text = Encoding.UTF8.GetString(rest[(second + 1)..]);
        if (!_names.TryGetValue(text, out var name))
        {
            name = JitMethodNames.Clean(text);
            // Bounded by the distinct method names of the process; cleared when it grows past what a service has.
            if (_names.Count >= 500_000) _names.Clear();
            _names[text] = name;
        }
        into.Add(address, size, name);
        return true;
    }

    public void Dispose() => _file.Dispose();
}
