using System.Buffers.Binary;
using Observability.Profiling.Implementation.Perf.Symbols;

namespace Observability.Profiling.Tests.Perf;

/// <summary>ELF symbol tables of real libraries on this machine, and files that are not (or no longer) ELF.</summary>
public sealed class ElfSymbolTableTests : IDisposable
{
    private const string LibCrypto = "/usr/lib/x86_64-linux-gnu/libcrypto.so.3";
    private readonly string _folder = Directory.CreateTempSubdirectory("elf-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void A_function_names_its_own_bytes_and_no_byte_past_its_size()
    {
        var table = ElfSymbolTable.Load(LibCrypto);
        Assert.Null(table.Problem);
        var symbol = Symbols(table).Single(s => s.Name == "EVP_DigestVerifyFinal");
        Assert.Equal("EVP_DigestVerifyFinal", table.Find(symbol.Address));
        Assert.Equal("EVP_DigestVerifyFinal", table.Find(symbol.Address + 1));
        Assert.Equal("EVP_DigestVerifyFinal", table.Find(symbol.End - 1));
        Assert.NotEqual("EVP_DigestVerifyFinal", table.Find(symbol.End));
        Assert.NotEqual("EVP_DigestVerifyFinal", table.Find(symbol.Address - 1));
    }

    [Fact]
    public void An_address_between_functions_has_no_name_not_the_one_below()
    {
        var table = ElfSymbolTable.Load(CoreClrPath());
        Assert.Null(table.Problem);
        var symbols = Symbols(table).ToList();
        var gap = Enumerable.Range(0, symbols.Count - 1).First(i => symbols[i].End < symbols[i + 1].Address);
        Assert.Null(table.Find(symbols[gap].End));
        Assert.Null(table.Find(symbols[gap + 1].Address - 1));
        Assert.Equal(symbols[gap].Name, table.FindSymbol(symbols[gap].End - 1)?.Name);
    }

    [Fact]
    public void Symbols_are_sorted_one_per_address()
    {
        var symbols = Symbols(ElfSymbolTable.Load(LibCrypto)).ToList();
        Assert.True(symbols.Count > 1000);
        Assert.All(symbols.Zip(symbols.Skip(1)), pair => Assert.True(pair.First.Address < pair.Second.Address));
    }

    [Fact]
    public void File_offsets_and_addresses_translate_through_the_loaded_segments()
    {
        // libcoreclr's code segment is not loaded at its file offset, so a translation that mixed the two up would show here.
        var table = ElfSymbolTable.Load(CoreClrPath());
        var symbol = table[table.Count / 2];
        Assert.True(table.TryVirtualAddressToFileOffset(symbol.Address, out var offset));
        Assert.True(table.TryFileOffsetToVirtualAddress(offset, out var address));
        Assert.Equal(symbol.Address, address);
        Assert.False(table.TryFileOffsetToVirtualAddress(ulong.MaxValue - 10, out _));
    }

    [Theory]
    [InlineData("truncated to its header")]
    [InlineData("truncated to half")]
    [InlineData("random bytes")]
    [InlineData("empty")]
    [InlineData("32-bit")]
    [InlineData("big-endian")]
    [InlineData("section headers past the end")]
    public void A_file_that_is_not_a_whole_elf64_file_gives_an_empty_table_with_a_reason(string kind)
    {
        var bytes = File.ReadAllBytes(LibCrypto);
        var content = kind switch
        {
            "truncated to its header" => bytes[..4096],
            "truncated to half" => bytes[..(bytes.Length / 2)],
            "random bytes" => RandomBytes(new Random(7), 100_000),
            "empty" => Array.Empty<byte>(),
            "32-bit" => With(bytes[..4096], 4, 1),
            "big-endian" => With(bytes[..4096], 5, 2),
            _ => WithSectionOffset(bytes, ulong.MaxValue - 100),
        };
        var table = ElfSymbolTable.Load(Write(content));
        Assert.NotNull(table.Problem);
        Assert.Equal(0, table.Count);
        Assert.Null(table.Find(0x2177f0));
        Assert.False(table.TryFileOffsetToVirtualAddress(0x1000, out _));
    }

    [Fact]
    public void Missing_files_and_folders_give_an_empty_table_with_a_reason()
    {
        Assert.NotNull(ElfSymbolTable.Load(Path.Combine(_folder, "missing.so")).Problem);
        Assert.NotNull(ElfSymbolTable.Load(_folder).Problem);
    }

    [Fact]
    public void Damaged_headers_never_throw()
    {
        // A small real library with bytes of its headers and tables changed at random, many times over.
        var original = File.ReadAllBytes("/usr/lib/x86_64-linux-gnu/libdl.so.2");
        var random = new Random(11);
        var path = Path.Combine(_folder, "damaged.so");
        for (var round = 0; round < 300; round++)
        {
            var bytes = (byte[])original.Clone();
            for (var i = 0; i < 8; i++) bytes[random.Next(i < 4 ? 64 : bytes.Length)] = (byte)random.Next(256);
            File.WriteAllBytes(path, bytes);
            var table = ElfSymbolTable.Load(path);
            // Whatever was read must answer lookups without failing.
            _ = Symbols(table).Count(s => table.Find(s.Address) is null);
            _ = table.Find((ulong)random.NextInt64()) ?? table.Find(0x1000);
            _ = table.TryFileOffsetToVirtualAddress((ulong)random.Next(original.Length), out _);
        }
    }

    internal static IEnumerable<ElfSymbol> Symbols(ElfSymbolTable table) => Enumerable.Range(0, table.Count).Select(i => table[i]);

    internal static string CoreClrPath() => Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "libcoreclr.so");

    private string Write(byte[] content)
    {
        var path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".so");
        File.WriteAllBytes(path, content);
        return path;
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] With(byte[] bytes, int index, byte value)
    {
        bytes[index] = value;
        return bytes;
    }

    private static byte[] WithSectionOffset(byte[] bytes, ulong offset)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40), offset);
        return bytes;
    }
}
