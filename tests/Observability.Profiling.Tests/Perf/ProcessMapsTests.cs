using Observability.Profiling.Implementation.Perf.Symbols;

namespace Observability.Profiling.Tests.Perf;

/// <summary>Reading <c>/proc/self/maps</c>: which lines become executable mappings, their paths and names, and the address lookup's edges.</summary>
public sealed class ProcessMapsTests
{
    private const string Maps = """
        7f0000003000-7f0000004000 r-xp 00002000 fe:00 12                         /usr/lib/libb.so
        7f0000001000-7f0000002000 r-xp 00001000 fe:00 11                         /usr/lib/liba.so
        7f0000002000-7f0000003000 r--p 00003000 fe:00 11                         /usr/lib/liba.so
        7f0000008000-7f0000009000 rwxp 00000000 00:00 0
        """;

    [Theory]
    [InlineData("7f26137c9000-7f2613c7a000 r-xp 001c8000 fe:00 351014                     /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libcoreclr.so",
        "/usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libcoreclr.so", false, "libcoreclr.so", true, false)]
    [InlineData("7f0000000000-7f0000001000 r-xp 00000000 fe:00 7 /opt/my app/lib native (x).so", "/opt/my app/lib native (x).so", false, "lib native (x).so", true, false)]
    [InlineData("7f0000000000-7f0000001000 r-xp 00000000 fe:00 7     /usr/lib/libssl.so.3 (deleted)", "/usr/lib/libssl.so.3", true, "libssl.so.3", false, false)]
    [InlineData("7f2594650000-7f2594651000 r-xs 00000000 00:01 61                         /memfd:doublemapper (deleted)", "/memfd:doublemapper", true, "memfd:doublemapper", false, true)]
    [InlineData("7f0000000000-7f0000010000 rwxp 00000000 00:00 0", null, false, null, false, true)]
    [InlineData("7f0000000000-7f0000010000 r-xp 00000000 00:00 0      ", null, false, null, false, true)]
    [InlineData("7f261447c000-7f261447e000 r-xp 00000000 00:00 0                          [vdso]", "[vdso]", false, "[vdso]", false, false)]
    [InlineData("ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]", "[vsyscall]", false, "[vsyscall]", false, false)]
    public void Executable_lines_keep_their_path_and_module_name(string line, string? path, bool deleted, string? module, bool isFile, bool runtimeCode)
    {
        var mapping = ProcessMaps.ParseLine(line);
        Assert.NotNull(mapping);
        Assert.Equal(path, mapping.Path);
        Assert.Equal(deleted, mapping.Deleted);
        Assert.Equal(module, mapping.ModuleName);
        Assert.Equal(isFile, mapping.IsFile);
        Assert.Equal(runtimeCode, mapping.IsRuntimeCode);
    }

    [Theory]
    [InlineData("7f0000000000-7f0000001000 r--p 00000000 fe:00 7 /usr/lib/libc.so.6")]
    [InlineData("7f0000000000-7f0000001000 rw-p 00000000 00:00 0")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("hello world")]
    [InlineData("zz-7f0000001000 r-xp 00000000 fe:00 7 /x")]
    [InlineData("7f0000002000-7f0000001000 r-xp 00000000 fe:00 7 /x")]
    [InlineData("7f0000001000-7f0000001000 r-xp 00000000 fe:00 7 /x")]
    [InlineData("7f0000000000 r-xp 00000000 fe:00 7 /x")]
    [InlineData("7f0000000000-7f0000001000 r-x")]
    [InlineData("7f0000000000-7f0000001000 r-xp 00000000 fe:00")]
    [InlineData("7f0000000000-7f0000001000 r-xp 0000zz00 fe:00 7 /x")]
    [InlineData("7f0000000000-7f0000001000 rx 00000000 fe:00 7 /x")]
    public void Other_lines_are_dropped(string line) => Assert.Null(ProcessMaps.ParseLine(line));

    [Theory]
    [InlineData(0x7f0000001000UL, true, "/usr/lib/liba.so")]
    [InlineData(0x7f0000001fffUL, true, "/usr/lib/liba.so")]
    [InlineData(0x7f0000002000UL, false, null)]
    [InlineData(0x7f0000003000UL, true, "/usr/lib/libb.so")]
    [InlineData(0x7f0000003fffUL, true, "/usr/lib/libb.so")]
    [InlineData(0x7f0000004000UL, false, null)]
    [InlineData(0x7f0000000fffUL, false, null)]
    [InlineData(0x7f0000008000UL, true, null)]
    [InlineData(0x7f0000009000UL, false, null)]
    [InlineData(0UL, false, null)]
    [InlineData(ulong.MaxValue, false, null)]
    public void Addresses_are_executable_from_start_to_just_before_end(ulong address, bool executable, string? path)
    {
        var maps = ProcessMaps.Parse(new StringReader(Maps));
        Assert.Equal(3, maps.Mappings.Count);
        Assert.Equal(executable, maps.IsExecutable(address));
        Assert.Equal(executable, maps.Find(address) is not null);
        Assert.Equal(path, maps.Find(address)?.Path);
    }

    [Fact]
    public void File_offsets_follow_the_mapping()
    {
        var mapping = ProcessMaps.Parse(new StringReader(Maps)).Find(0x7f0000003010);
        Assert.Equal(0x2010UL, mapping!.FileOffsetOf(0x7f0000003010));
    }

    [Fact]
    public void Lines_past_the_bound_are_not_read()
    {
        var text = string.Concat(Enumerable.Repeat("garbage\n", ProcessMaps.MaxLines)) + "7f0000000000-7f0000001000 r-xp 00000000 fe:00 7 /x\n";
        Assert.Empty(ProcessMaps.Parse(new StringReader(text)).Mappings);
    }

    [Fact]
    public void This_process_has_the_runtime_and_the_c_library_mapped()
    {
        var maps = ProcessMaps.Read();
        Assert.Null(maps.Problem);
        Assert.Contains(maps.Mappings, m => m.ModuleName == "libcoreclr.so" && m.IsFile);
        Assert.Contains(maps.Mappings, m => m.ModuleName == "libc.so.6" && m.IsFile);
    }

    [Fact]
    public void A_missing_maps_file_gives_no_mappings_and_a_reason()
    {
        var maps = ProcessMaps.Read(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N")));
        Assert.NotNull(maps.Problem);
        Assert.Empty(maps.Mappings);
        Assert.False(maps.IsExecutable(0x1000));
    }
}
