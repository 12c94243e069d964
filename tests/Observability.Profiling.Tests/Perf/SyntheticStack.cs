using System.Buffers.Binary;
using Observability.Profiling.Implementation.Perf;

namespace Observability.Profiling.Tests.Perf;

/// <summary>
/// A made-up process for the stack walker: code ranges of each kind, and a user stack built word by word at a fixed
/// stack pointer, as a perf sample would copy it.
/// </summary>
internal sealed class SyntheticStack : ICodeAddresses
{
    public const ulong Sp = 0x7ffd_0000_1000;
    public const ulong ManagedBase = 0x7f00_1000_0000;
    public const ulong NativeBase = 0x7f00_2000_0000;
    public const ulong LibcBase = 0x7f00_3000_0000;
    private readonly ulong[] _words;

    public SyntheticStack(int words) => _words = new ulong[words];

    /// <summary>Managed method <paramref name="n"/>'s code is [base + n·0x1000, +0x1000).</summary>
    public static ulong Managed(int n, int offset = 0x40) => ManagedBase + (ulong)n * 0x1000 + (ulong)offset;

    /// <summary>A native return address after a call instruction (the fake says every native address in the second half of a 0x1000 block is one).</summary>
    public static ulong NativeCallSite(int n) => NativeBase + (ulong)n * 0x1000 + 0x900;

    /// <summary>A native address that is not after a call (data-looking garbage that happens to be in code).</summary>
    public static ulong NativeNotCallSite(int n) => NativeBase + (ulong)n * 0x1000 + 0x100;

    public static ulong ThreadRoot => LibcBase + 0x631f5;

    /// <summary>The stack address of word <paramref name="index"/>.</summary>
    public static ulong At(int index) => Sp + (ulong)index * 8;

    public ulong this[int index]
    {
        get => _words[index];
        set => _words[index] = value;
    }

    /// <summary>Writes a frame record at word <paramref name="index"/>: saved frame pointer, then the return address.</summary>
    public void Record(int index, ulong savedFramePointer, ulong returnAddress)
    {
        _words[index] = savedFramePointer;
        _words[index + 1] = returnAddress;
    }

    public byte[] Bytes()
    {
        var bytes = new byte[_words.Length * 8];
        for (var i = 0; i < _words.Length; i++) BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(i * 8), _words[i]);
        return bytes;
    }

    public PerfSample Sample(ulong[] callchain, byte[] stack) => new(1, 2, 3, callchain, 0, Sp, callchain.Length > 0 ? callchain[0] : 0, stack);

    public bool IsExecutable(ulong address) => IsManaged(address) || InBlock(address, NativeBase) || InBlock(address, LibcBase);

    public bool IsManaged(ulong address) => InBlock(address, ManagedBase);

    public bool IsCallSite(ulong address) => InBlock(address, NativeBase) && (address & 0xfff) >= 0x800;

    public bool IsThreadRoot(ulong address) => InBlock(address, LibcBase);

    public bool SameMethod(ulong first, ulong second) => IsManaged(first) && IsManaged(second) && first >> 12 == second >> 12;

    private static bool InBlock(ulong address, ulong start) => address >= start && address < start + 0x100_0000;
}
