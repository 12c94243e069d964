namespace Observability.Profiling.Implementation.Perf.Symbols;

/// <summary>
/// Whether machine code ends with an x86-64 CALL instruction, looking at the bytes just before a would-be return
/// address. A heuristic: x86 code cannot be decoded backwards, so bytes that only look like a call (an E8 inside an
/// immediate) also pass. It tells return addresses from code-looking data on a stack, which is all the walker needs.
/// </summary>
internal static class X86CallSites
{
    /// <summary>Bytes before a return address the longest recognised call occupies (REX prefixes aside).</summary>
    public const int MaxCallLength = 7;

    private const byte Near = 0xe8;  // CALL rel32
    private const byte Group = 0xff; // FF /2: CALL r/m64

    /// <summary>Whether <paramref name="before"/> (the bytes ending just before the return address) ends with a call.</summary>
    public static bool EndsWithCall(ReadOnlySpan<byte> before)
    {
        var n = before.Length;
        // CALL rel32: E8 + 4 bytes.
        if (n >= 5 && before[n - 5] == Near) return true;
        // FF with a ModRM byte (mod, reg = 2, rm) and what the ModRM calls for; a REX prefix before FF changes no length.
        if (n >= 2 && before[n - 2] == Group && IsCall(before[n - 1], sib: 0, expected: 0)) return true;
        if (n >= 3 && before[n - 3] == Group && IsCall(before[n - 2], before[n - 1], expected: 1)) return true;
        if (n >= 4 && before[n - 4] == Group && IsCall(before[n - 3], before[n - 2], expected: 2)) return true;
        if (n >= 6 && before[n - 6] == Group && IsCall(before[n - 5], sib: 0, expected: 4)) return true;
        if (n >= 7 && before[n - 7] == Group && IsCall(before[n - 6], before[n - 5], expected: 5)) return true;
        return false;
    }

    /// <summary>
    /// Whether ModRM byte <paramref name="modRm"/> (followed by <paramref name="sib"/> when it calls for one) is a
    /// CALL r/m64 whose operand takes exactly <paramref name="expected"/> bytes after the ModRM byte.
    /// </summary>
    private static bool IsCall(byte modRm, byte sib, int expected)
    {
        if (((modRm >> 3) & 7) != 2) return false;
        var mod = modRm >> 6;
        var rm = modRm & 7;
        var length = mod switch
        {
            3 => 0,                                      // call reg: FF D0+r
            0 when rm == 5 => 4,                         // call [rip+disp32]: FF 15
            0 when rm == 4 => (sib & 7) == 5 ? 5 : 1,    // call [sib] (FF 14), or [index*scale+disp32] when the SIB base is 5
            0 => 0,                                      // call [reg]: FF 10+r
            1 => rm == 4 ? 2 : 1,                        // call [reg+disp8]: FF 50+r, FF 54 with SIB
            _ => rm == 4 ? 5 : 4,                        // call [reg+disp32]: FF 90+r, FF 94 with SIB
        };
        return length == expected;
    }
}
