using System.Buffers.Binary;
using Microsoft.Win32.SafeHandles;

namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// The headers of an ELF64 little-endian file: its section headers (to find the symbol tables) and its loadable
/// segments (to turn file offsets into the addresses symbols are given at). Every size and offset read from the file
/// is checked against the file's length: the file may be anything.
/// </summary>
internal sealed class ElfFile
{
    public const uint SectionSymbolTable = 2;     // SHT_SYMTAB
    public const uint SectionStringTable = 3;     // SHT_STRTAB
    public const uint SectionDynamicSymbols = 11; // SHT_DYNSYM

    private const int HeaderSize = 64;
    private const int SectionHeaderSize = 64;
    private const int ProgramHeaderSize = 56;
    private const uint SegmentLoad = 1;            // PT_LOAD
    private const int MaxSections = 100_000;
    private const int MaxSegments = 65_535;

    private ElfFile(long length, List<(uint Type, ulong Offset, ulong Size, uint Link, ulong EntrySize)> sections, List<(ulong Offset, ulong Size, ulong Address)> loads)
    {
        Length = length;
        Sections = sections;
        Loads = loads;
    }

    /// <summary>The file's length in bytes.</summary>
    public long Length { get; }

    /// <summary>Section headers in file order (index = section number), each within the file unless its type has no bytes.</summary>
    public IReadOnlyList<(uint Type, ulong Offset, ulong Size, uint Link, ulong EntrySize)> Sections { get; }

    /// <summary>PT_LOAD segments: file bytes [Offset, Offset + Size) are loaded at Address.</summary>
    public IReadOnlyList<(ulong Offset, ulong Size, ulong Address)> Loads { get; }

    /// <summary>Reads the headers of the file open as <paramref name="file"/>; null and a reason when it is not a well-formed ELF64 LE file.</summary>
    public static ElfFile? Read(SafeFileHandle file, out string? problem)
    {
        var length = RandomAccess.GetLength(file);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (length < HeaderSize || RandomAccess.Read(file, header, 0) < HeaderSize) return Fail("shorter than an ELF header", out problem);
        if (header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F') return Fail("not an ELF file", out problem);
        if (header[4] != 2 || header[5] != 1) return Fail("not a 64-bit little-endian ELF file", out problem);
        var phOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[32..]);
        var shOffset = BinaryPrimitives.ReadUInt64LittleEndian(header[40..]);
        int phEntrySize = BinaryPrimitives.ReadUInt16LittleEndian(header[54..]);
        int phCount = BinaryPrimitives.ReadUInt16LittleEndian(header[56..]);
        int shEntrySize = BinaryPrimitives.ReadUInt16LittleEndian(header[58..]);
        long shCount = BinaryPrimitives.ReadUInt16LittleEndian(header[60..]);

        var sections = new List<(uint, ulong, ulong, uint, ulong)>();
        if (shOffset != 0)
        {
            if (shEntrySize != SectionHeaderSize || !Within(length, shOffset, SectionHeaderSize)) return Fail("section headers outside the file", out problem);
            var first = ReadSection(file, shOffset);
            // Extended numbering: a count or index too large for the header is kept in section 0.
            if (shCount == 0) shCount = (long)Math.Min(first.Size, MaxSections + 1UL);
            if (phCount == 0xffff) phCount = (int)Math.Min(first.Info, MaxSegments);
            if (shCount > MaxSections || !Within(length, shOffset, (ulong)shCount * SectionHeaderSize)) return Fail("section headers outside the file", out problem);
            var table = new byte[shCount * SectionHeaderSize];
            if (RandomAccess.Read(file, table, (long)shOffset) < table.Length) return Fail("section headers cut short", out problem);
            for (var i = 0; i < shCount; i++)
            {
                var s = table.AsSpan(i * SectionHeaderSize, SectionHeaderSize);
                var type = BinaryPrimitives.ReadUInt32LittleEndian(s[4..]);
                var offset = BinaryPrimitives.ReadUInt64LittleEndian(s[24..]);
                var size = BinaryPrimitives.ReadUInt64LittleEndian(s[32..]);
                // SHT_NOBITS (8) and SHT_NULL (0) occupy no file bytes; any other section must lie inside the file.
                if (type is not 0 and not 8 && !Within(length, offset, size)) return Fail($"section {i} outside the file", out problem);
                sections.Add((type, offset, size, BinaryPrimitives.ReadUInt32LittleEndian(s[40..]), BinaryPrimitives.ReadUInt64LittleEndian(s[56..])));
            }
        }

        var loads = new List<(ulong, ulong, ulong)>();
        if (phCount > 0)
        {
            if (phEntrySize < ProgramHeaderSize || !Within(length, phOffset, (ulong)phCount * (ulong)phEntrySize)) return Fail("program headers outside the file", out problem);
            var table = new byte[phCount * phEntrySize];
            if (RandomAccess.Read(file, table, (long)phOffset) < table.Length) return Fail("program headers cut short", out problem);
            for (var i = 0; i < phCount; i++)
            {
                var p = table.AsSpan(i * phEntrySize, ProgramHeaderSize);
                if (BinaryPrimitives.ReadUInt32LittleEndian(p) != SegmentLoad) continue;
                var offset = BinaryPrimitives.ReadUInt64LittleEndian(p[8..]);
                var size = BinaryPrimitives.ReadUInt64LittleEndian(p[32..]);
                if (!Within(length, offset, size)) return Fail($"segment {i} outside the file", out problem);
                loads.Add((offset, size, BinaryPrimitives.ReadUInt64LittleEndian(p[16..])));
            }
        }
        problem = null;
        return new ElfFile(length, sections, loads);
    }

    /// <summary>The address file offset <paramref name="fileOffset"/> is loaded at, if a PT_LOAD segment holds it.</summary>
    public bool TryFileOffsetToVirtualAddress(ulong fileOffset, out ulong address)
    {
        foreach (var (offset, size, start) in Loads)
        {
            if (fileOffset >= offset && fileOffset - offset < size)
            {
                address = fileOffset - offset + start;
                return true;
            }
        }
        address = 0;
        return false;
    }

    /// <summary>The file offset of the bytes loaded at <paramref name="address"/>, if a PT_LOAD segment's file bytes hold it.</summary>
    public bool TryVirtualAddressToFileOffset(ulong address, out ulong fileOffset)
    {
        foreach (var (offset, size, start) in Loads)
        {
            if (address >= start && address - start < size)
            {
                fileOffset = address - start + offset;
                return true;
            }
        }
        fileOffset = 0;
        return false;
    }

    /// <summary>Whether [offset, offset + size) lies inside a file of <paramref name="length"/> bytes, without overflow.</summary>
    public static bool Within(long length, ulong offset, ulong size) => offset <= (ulong)length && size <= (ulong)length - offset;

    private static (ulong Size, uint Info) ReadSection(SafeFileHandle file, ulong offset)
    {
        Span<byte> s = stackalloc byte[SectionHeaderSize];
        if (RandomAccess.Read(file, s, (long)offset) < SectionHeaderSize) return (0, 0);
        return (BinaryPrimitives.ReadUInt64LittleEndian(s[32..]), BinaryPrimitives.ReadUInt32LittleEndian(s[44..]));
    }

    private static ElfFile? Fail(string reason, out string? problem)
    {
        problem = reason;
        return null;
    }
}
