using System.Runtime.InteropServices;
using Observability.Profiling.Implementation.Perf.Symbols;

namespace Observability.Profiling.Tests.Perf;

/// <summary>Native code of this very process named and classified: libc, the runtime, the runtime's generated code.</summary>
public sealed class NativeSymbolsTests : IDisposable
{
    private readonly NativeSymbols _symbols = new();

    public void Dispose() => _symbols.Dispose();

    [Fact]
    public void A_libc_export_is_named_by_module_and_symbol()
    {
        // libc has getpid and __getpid at one address; the name without underscores is the one shown.
        var getpid = (ulong)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "getpid");
        Assert.True(_symbols.IsExecutable(getpid));
        Assert.Equal("libc.so.6!getpid", _symbols.Name(getpid));
        Assert.Equal("libc.so.6!getpid", _symbols.Name(getpid + 1));
        Assert.Equal("libc.so.6!getpid", _symbols.Name(getpid));
    }

    [Fact]
    public void Runtime_code_no_symbol_covers_is_named_by_its_module_alone()
    {
        var coreclr = _symbols.Maps.Mappings.First(m => m.ModuleName == "libcoreclr.so" && m.IsFile);
        var table = ElfSymbolTable.Load(coreclr.Path!);
        var uncovered = Enumerable.Range(0, (int)((coreclr.End - coreclr.Start) / 64))
            .Select(i => coreclr.Start + (ulong)i * 64)
            .First(a => table.TryFileOffsetToVirtualAddress(coreclr.FileOffsetOf(a), out var v) && table.Find(v) is null);
        Assert.Equal("libcoreclr.so", _symbols.Name(uncovered));

        var export = (ulong)NativeLibrary.GetExport(NativeLibrary.Load(coreclr.Path!), "coreclr_initialize");
        Assert.Equal("libcoreclr.so!coreclr_initialize", _symbols.Name(export + 3));
    }

    [Fact]
    public void Generated_code_is_executable_but_unnamed_and_unknown_addresses_are_neither()
    {
        var generated = _symbols.Maps.Mappings.First(m => m.IsRuntimeCode);
        Assert.True(_symbols.IsExecutable(generated.Start));
        Assert.Null(_symbols.Name(generated.Start));
        Assert.False(_symbols.IsCallSite(generated.Start + 16));

        Assert.False(_symbols.IsExecutable(0x10));
        Assert.Null(_symbols.Name(0x10));
        Assert.False(_symbols.IsCallSite(0x10));
    }

    [Fact]
    public void A_return_address_after_a_call_in_libc_is_a_call_site_and_a_function_start_is_not()
    {
        var libc = _symbols.Maps.Mappings.First(m => m.ModuleName == "libc.so.6" && m.IsFile);
        var table = ElfSymbolTable.Load(libc.Path!);
        var (function, site) = FirstDirectCall(table, libc.Path!);

        Assert.True(_symbols.IsCallSite(Runtime(table, function.Address + site + 5)));
        // Before a function's start lies the padding after the previous function, which decodes as no call.
        var getpid = Symbol(table, "getpid");
        Assert.False(_symbols.IsCallSite(Runtime(table, getpid.Address)));
    }

    [Fact]
    public void Refresh_keeps_answering()
    {
        var getpid = (ulong)NativeLibrary.GetExport(NativeLibrary.Load("libc.so.6"), "getpid");
        _symbols.Refresh();
        Assert.Equal("libc.so.6!getpid", _symbols.Name(getpid));
    }

    /// <summary>A CALL rel32 inside a libc function whose target is the start of a libc function: certainly an instruction.</summary>
    private static (ElfSymbol Function, ulong Site) FirstDirectCall(ElfSymbolTable table, string path)
    {
        using var file = File.OpenHandle(path);
        foreach (var function in ElfSymbolTableTests.Symbols(table).Where(s => s.Size is >= 32 and < 4096))
        {
            Assert.True(table.TryVirtualAddressToFileOffset(function.Address, out var offset));
            var code = new byte[function.Size];
            RandomAccess.Read(file, code, (long)offset);
            for (var i = 0; i + 5 <= code.Length; i++)
            {
                if (code[i] != 0xe8) continue;
                var target = function.Address + (ulong)i + 5 + (ulong)(long)BitConverter.ToInt32(code, i + 1);
                if (table.FindSymbol(target)?.Address == target) return (function, (ulong)i);
            }
        }
        throw new InvalidOperationException("no direct call found in libc");
    }

    private static ElfSymbol Symbol(ElfSymbolTable table, string name) => ElfSymbolTableTests.Symbols(table).Single(s => s.Name == name);

    /// <summary>Where this process has the byte at <paramref name="address"/> of the module.</summary>
    private ulong Runtime(ElfSymbolTable table, ulong address)
    {
        Assert.True(table.TryVirtualAddressToFileOffset(address, out var offset));
        var mapping = _symbols.Maps.Mappings.First(m =>
            m.IsFile && m.ModuleName == "libc.so.6" && offset >= m.FileOffset && offset - m.FileOffset < m.End - m.Start);
        return mapping.Start + (offset - mapping.FileOffset);
    }
}
