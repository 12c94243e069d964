using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// Collects the function symbols of an ELF file's <c>.symtab</c> and <c>.dynsym</c> sections (24-byte entries naming
/// into their linked string table) as candidates for an <see cref="ElfSymbolTable"/>: defined <c>STT_FUNC</c> and
/// <c>STT_GNU_IFUNC</c> symbols with a nonzero address and size.
/// </summary>
internal static class ElfSymbolReader
{
    private const int EntrySize = 24;
    private const int EntriesPerRead = 4096;
    private const ulong MaxStringTableBytes = 256 * 1024 * 1024;
    // Names kept are bounded one by one and in all: a crafted file could point every symbol at one huge string.
    private const int MaxNameBytes = 4096;
    private const long MaxAllNameBytes = 256 * 1024 * 1024;
    private const byte TypeFunction = 2;          // STT_FUNC
    private const byte TypeIndirectFunction = 10; // STT_GNU_IFUNC

    /// <summary>A symbol found: its range, its name's bytes, and how much its name is preferred among aliases (lower first).</summary>
    internal readonly record struct Candidate(ulong Start, ulong End, byte[] Strings, int NameOffset, int NameLength, int Preference);

    /// <summary>Adds the function symbols of every symbol table of <paramref name="elf"/> to <paramref name="into"/>, up to <paramref name="max"/>.</summary>
    public static void ReadAll(SafeFileHandle file, ElfFile elf, List<Candidate> into, int max)
    {
        long nameBytes = 0;
        foreach (var section in elf.Sections)
        {
            if (section.Type is not ElfFile.SectionSymbolTable and not ElfFile.SectionDynamicSymbols) continue;
            if (section.EntrySize != EntrySize || section.Link >= elf.Sections.Count) continue;
            var strings = elf.Sections[(int)section.Link];
            if (strings.Type != ElfFile.SectionStringTable || strings.Size > MaxStringTableBytes) continue;
            var names = new byte[strings.Size];
            if (RandomAccess.Read(file, names, (long)strings.Offset) < names.Length) continue;
            ReadSection(file, section.Offset, section.Size / EntrySize, names, into, max, ref nameBytes);
        }
    }

    private static void ReadSection(SafeFileHandle file, ulong offset, ulong count, byte[] names, List<Candidate> into, int max, ref long nameBytes)
    {
        var buffer = new byte[EntriesPerRead * EntrySize];
        for (ulong done = 0; done < count && into.Count < max && nameBytes < MaxAllNameBytes;)
        {
            var entries = (int)Math.Min(count - done, EntriesPerRead);
            var bytes = buffer.AsSpan(0, entries * EntrySize);
            if (RandomAccess.Read(file, bytes, (long)(offset + done * EntrySize)) < bytes.Length) return;
            for (var i = 0; i < entries && into.Count < max && nameBytes < MaxAllNameBytes; i++)
            {
                if (Parse(bytes.Slice(i * EntrySize, EntrySize), names) is not { } candidate) continue;
                into.Add(candidate);
                nameBytes += candidate.NameLength;
            }
            done += (ulong)entries;
        }
    }

    private static Candidate? Parse(ReadOnlySpan<byte> entry, byte[] names)
    {
        var nameOffset = BinaryPrimitives.ReadUInt32LittleEndian(entry);
        var info = entry[4];
        var sectionIndex = BinaryPrimitives.ReadUInt16LittleEndian(entry[6..]);
        var value = BinaryPrimitives.ReadUInt64LittleEndian(entry[8..]);
        var size = BinaryPrimitives.ReadUInt64LittleEndian(entry[16..]);
        var type = info & 0xf;
        // Section 0 is SHN_UNDEF: an imported function, whose value (if any) is a PLT slot, not its code.
        if (type is not TypeFunction and not TypeIndirectFunction || sectionIndex == 0 || value == 0 || size == 0) return null;
        if (value + size < value || nameOffset >= (uint)names.Length) return null;
        var window = names.AsSpan((int)nameOffset, Math.Min(names.Length - (int)nameOffset, MaxNameBytes));
        var length = window.IndexOf((byte)0);
        if (length == 0) return null;
        if (length < 0) length = window.Length;
        return new Candidate(value, value + size, names, (int)nameOffset, length, Preference(names.AsSpan((int)nameOffset, length), info >> 4));
    }

    /// <summary>
    /// Aliases share an address (<c>getpid</c> and <c>__getpid</c>): the name a reader knows wins, with fewer leading
    /// underscores, then global over weak over local binding, then the shorter name.
    /// </summary>
    private static int Preference(ReadOnlySpan<byte> name, int binding)
    {
        var underscores = name.IndexOfAnyExcept((byte)'_');
        if (underscores < 0) underscores = name.Length;
        var bindingRank = binding switch { 1 => 0, 2 => 1, 0 => 2, _ => 3 };
        return (Math.Min(underscores, 255) << 20) | (bindingRank << 16) | Math.Min(name.Length, 0xffff);
    }
}
