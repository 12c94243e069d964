namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// Names native code of this process (<c>libcrypto.so.3!BN_mod_exp_mont</c>, or the module alone where no symbol
/// covers the address) and answers the stack walker's questions about native addresses, from a snapshot of the
/// executable mappings and each module's ELF symbols, read from disk on first use. Code the runtime generated
/// (anonymous and memfd mappings) is executable but left unnamed here: the jitdump names it. Used from one thread.
/// </summary>
internal sealed class NativeSymbols : IDisposable
{
    /// <summary>Modules whose symbol tables are kept at most; past this the cache starts over.</summary>
    public const int MaxModules = 512;

    /// <summary>Addresses whose answers are kept at most; past this the cache starts over.</summary>
    public const int MaxCachedAddresses = 100_000;

    private readonly string _mapsPath;
    private readonly Dictionary<string, ElfSymbolTable> _tables = new(StringComparer.Ordinal);
    private readonly Dictionary<ulong, string?> _names = new();
    private readonly Dictionary<ulong, bool> _callSites = new();
    private readonly ModuleFiles _files = new();

    /// <summary>Reads the executable mappings of <paramref name="mapsPath"/> (this process's by default).</summary>
    public NativeSymbols(string mapsPath = "/proc/self/maps")
    {
        _mapsPath = mapsPath;
        Maps = ProcessMaps.Read(mapsPath);
    }

    /// <summary>The executable mappings as last read.</summary>
    public ProcessMaps Maps { get; private set; }

    /// <summary>Whether <paramref name="address"/> is inside an executable mapping (a module's code or the runtime's).</summary>
    public bool IsExecutable(ulong address) => Maps.IsExecutable(address);

    /// <summary>
    /// <c>module!symbol</c> for the function holding <paramref name="address"/>, the module's name when no symbol
    /// covers it (or for <c>[vdso]</c>), null for the runtime's generated code and for addresses outside every mapping.
    /// </summary>
    public string? Name(ulong address)
    {
        if (_names.TryGetValue(address, out var known)) return known;
        // Not cached: a later Refresh may find a library loaded since.
        if (Maps.Find(address) is not { } mapping) return null;
        var name = NameIn(mapping, address);
        if (_names.Count >= MaxCachedAddresses) _names.Clear();
        _names[address] = name;
        return name;
    }

    /// <summary>
    /// Whether the bytes before <paramref name="returnAddress"/> in its module's file look like an x86-64 CALL (see
    /// <see cref="X86CallSites"/>). False for the runtime's generated code, for deleted files and outside every mapping.
    /// </summary>
    public bool IsCallSite(ulong returnAddress)
    {
        if (_callSites.TryGetValue(returnAddress, out var known)) return known;
        if (Maps.Find(returnAddress) is not { IsFile: true, Path: { } path } mapping) return false;
        // The call lies inside the same mapping; near its start fewer bytes exist, so only shorter calls can match.
        var available = (int)Math.Min(returnAddress - mapping.Start, X86CallSites.MaxCallLength);
        Span<byte> before = stackalloc byte[X86CallSites.MaxCallLength];
        before = before[..available];
        var isCall = available > 0 && mapping.FileOffsetOf(returnAddress) is var end &&
                     _files.TryRead(path, end - (ulong)available, before) && X86CallSites.EndsWithCall(before);
        if (_callSites.Count >= MaxCachedAddresses) _callSites.Clear();
        _callSites[returnAddress] = isCall;
        return isCall;
    }

    /// <summary>Reads the mappings again (after a library was loaded), keeping the symbol tables already read.</summary>
    public void Refresh()
    {
        Maps = ProcessMaps.Read(_mapsPath);
        // An address may now belong to another mapping (a library unloaded, another loaded in its place).
        _names.Clear();
        _callSites.Clear();
    }

    /// <summary>Closes the module files opened for <see cref="IsCallSite"/>.</summary>
    public void Dispose() => _files.Dispose();

    private string? NameIn(CodeMapping mapping, ulong address)
    {
        if (mapping.IsRuntimeCode) return null;
        if (!mapping.IsFile || mapping.Path is not { } path) return mapping.ModuleName;
        var table = TableOf(path);
        return table.TryFileOffsetToVirtualAddress(mapping.FileOffsetOf(address), out var symbolAddress) && table.Find(symbolAddress) is { } symbol
            ? $"{mapping.ModuleName}!{symbol}"
            : mapping.ModuleName;
    }

    /// <summary>The module's symbols, read on first use; a file that cannot be read keeps its empty table, not tried again.</summary>
    private ElfSymbolTable TableOf(string path)
    {
        if (_tables.TryGetValue(path, out var table)) return table;
        if (_tables.Count >= MaxModules) _tables.Clear();
        table = ElfSymbolTable.Load(path);
        _tables[path] = table;
        return table;
    }
}
