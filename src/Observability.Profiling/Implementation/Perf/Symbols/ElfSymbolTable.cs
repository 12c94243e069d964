using System.Text;

namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// The function symbols of one ELF64 little-endian file (<c>.symtab</c> and <c>.dynsym</c>), sorted by address, and
/// its loadable segments for turning file offsets into symbol addresses. An address is named only by a symbol whose
/// [value, value + size) holds it, never by the nearest symbol below: stripped libraries export few functions, and
/// the nearest export would name unrelated code. Names stay as the file has them (C++ names mangled).
/// </summary>
internal sealed class ElfSymbolTable
{
    /// <summary>Symbols kept at most per file.</summary>
    public const int MaxSymbols = 2_000_000;

    // Nested symbols (a local function inside a larger one) are looked for this far back, past the nearest start.
    private const int MaxNestedLookback = 64;

    private readonly ElfFile? _elf;
    private readonly ulong[] _starts;
    private readonly ulong[] _ends;
    private readonly ulong[] _maxEnds;
    private readonly int[] _nameOffsets;
    private readonly byte[] _names;

    private ElfSymbolTable(ElfFile? elf, string? problem, List<ElfSymbolReader.Candidate> symbols)
    {
        _elf = elf;
        Problem = problem;
        _starts = new ulong[symbols.Count];
        _ends = new ulong[symbols.Count];
        _maxEnds = new ulong[symbols.Count];
        _nameOffsets = new int[symbols.Count + 1];
        _names = new byte[symbols.Sum(s => (long)s.NameLength)];
        var position = 0;
        for (var i = 0; i < symbols.Count; i++)
        {
            var s = symbols[i];
            _starts[i] = s.Start;
            _ends[i] = s.End;
            _maxEnds[i] = i == 0 ? s.End : Math.Max(_maxEnds[i - 1], s.End);
            _nameOffsets[i] = position;
            s.Strings.AsSpan(s.NameOffset, s.NameLength).CopyTo(_names.AsSpan(position));
            position += s.NameLength;
        }
        _nameOffsets[symbols.Count] = position;
    }

    /// <summary>Why the file gave no table (unreadable, not ELF64 LE, malformed), else null.</summary>
    public string? Problem { get; }

    /// <summary>Function symbols, one per address.</summary>
    public int Count => _starts.Length;

    /// <summary>The symbol at <paramref name="index"/> in address order.</summary>
    public ElfSymbol this[int index] => new(_starts[index], _ends[index] - _starts[index], NameAt(index));

    /// <summary>Reads the table of the file at <paramref name="path"/>; any failure gives an empty table with a <see cref="Problem"/>.</summary>
    public static ElfSymbolTable Load(string path)
    {
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            if (ElfFile.Read(file, out var problem) is not { } elf) return Empty(problem ?? "not readable as ELF");
            var candidates = new List<ElfSymbolReader.Candidate>();
            ElfSymbolReader.ReadAll(file, elf, candidates, MaxSymbols);
            return new ElfSymbolTable(elf, null, OnePerAddress(candidates));
        }
        catch (Exception e)
        {
            // The file may be anything: whatever it does to the reader, its module only goes without symbol names.
            return Empty($"{e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>A table with no symbols and no segments, for a file that could not be read.</summary>
    public static ElfSymbolTable Empty(string reason) => new(null, reason, new List<ElfSymbolReader.Candidate>());

    /// <summary>The name of the function whose code holds <paramref name="address"/> (an address of the file), or null.</summary>
    public string? Find(ulong address) => IndexOf(address) is var i and >= 0 ? NameAt(i) : null;

    /// <summary>The function whose code holds <paramref name="address"/>, or null.</summary>
    public ElfSymbol? FindSymbol(ulong address) => IndexOf(address) is var i and >= 0 ? this[i] : null;

    /// <summary>The address (as symbols give them) of the byte at <paramref name="fileOffset"/>, if a PT_LOAD segment holds it.</summary>
    public bool TryFileOffsetToVirtualAddress(ulong fileOffset, out ulong address)
    {
        address = 0;
        return _elf is not null && _elf.TryFileOffsetToVirtualAddress(fileOffset, out address);
    }

    /// <summary>The file offset of <paramref name="address"/>, if a PT_LOAD segment's file bytes hold it.</summary>
    public bool TryVirtualAddressToFileOffset(ulong address, out ulong fileOffset)
    {
        fileOffset = 0;
        return _elf is not null && _elf.TryVirtualAddressToFileOffset(address, out fileOffset);
    }

    private int IndexOf(ulong address)
    {
        var i = Array.BinarySearch(_starts, address);
        if (i < 0) i = ~i - 1;
        // Symbols may nest: walk back while some earlier symbol still reaches past the address.
        for (var steps = 0; i >= 0 && _maxEnds[i] > address && steps < MaxNestedLookback; i--, steps++)
        {
            if (_ends[i] > address) return i;
        }
        return -1;
    }

    private string NameAt(int index) => Encoding.UTF8.GetString(_names, _nameOffsets[index], _nameOffsets[index + 1] - _nameOffsets[index]);

    /// <summary>Sorts by address and keeps the preferred alias at each address, covering the longest of their sizes.</summary>
    private static List<ElfSymbolReader.Candidate> OnePerAddress(List<ElfSymbolReader.Candidate> candidates)
    {
        candidates.Sort(static (a, b) =>
        {
            var order = a.Start.CompareTo(b.Start);
            if (order == 0) order = a.Preference.CompareTo(b.Preference);
            return order != 0 ? order : a.Strings.AsSpan(a.NameOffset, a.NameLength).SequenceCompareTo(b.Strings.AsSpan(b.NameOffset, b.NameLength));
        });
        var kept = new List<ElfSymbolReader.Candidate>(candidates.Count);
        foreach (var c in candidates)
        {
            if (kept.Count > 0 && kept[^1].Start == c.Start)
            {
                if (c.End > kept[^1].End) kept[^1] = kept[^1] with { End = c.End };
                continue;
            }
            kept.Add(c);
        }
        return kept;
    }
}
