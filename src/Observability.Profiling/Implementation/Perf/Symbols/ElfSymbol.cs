namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>A function symbol of an ELF file: its code is [<see cref="Address"/>, <see cref="Address"/> + <see cref="Size"/>) in the file's virtual addresses.</summary>
internal readonly record struct ElfSymbol(ulong Address, ulong Size, string Name)
{
    /// <summary>The first address past the function.</summary>
    public ulong End => Address + Size;
}
