using Observability.Profiling.Implementation.Perf.Symbols;

namespace Observability.Profiling.Tests.Perf;

/// <summary>The bytes before a return address: the x86-64 CALL forms compilers emit, and look-alikes that are not calls.</summary>
public sealed class X86CallSitesTests
{
    [Theory]
    [InlineData("E8 10 20 30 40", true)]                 // call rel32
    [InlineData("90 E8 00 00 00 00", true)]
    [InlineData("F2 E8 00 01 00 00", true)]              // bnd call rel32
    [InlineData("FF D0", true)]                          // call rax
    [InlineData("41 FF D3", true)]                       // call r11
    [InlineData("3E FF D0", true)]                       // notrack call rax
    [InlineData("FF 10", true)]                          // call [rax]
    [InlineData("41 FF 17", true)]                       // call [r15]
    [InlineData("FF 55 08", true)]                       // call [rbp+8]
    [InlineData("41 FF 52 F8", true)]                    // call [r10-8]
    [InlineData("FF 14 C8", true)]                       // call [rax+rcx*8]
    [InlineData("FF 54 24 08", true)]                    // call [rsp+8]
    [InlineData("FF 15 00 10 20 00", true)]              // call [rip+disp32]
    [InlineData("FF 90 80 00 00 00", true)]              // call [rax+0x80]
    [InlineData("41 FF 94 24 00 01 00 00", true)]        // call [r12+0x100]
    [InlineData("FF 14 C5 00 10 00 00", true)]           // call [rax*8+disp32]
    [InlineData("", false)]
    [InlineData("C3", false)]                            // ret
    [InlineData("E8 00 00 00", false)]                   // too short for call rel32
    [InlineData("E9 00 00 00 00", false)]                // jmp rel32
    [InlineData("FF E0", false)]                         // jmp rax
    [InlineData("FF 20", false)]                         // jmp [rax]
    [InlineData("FF 30", false)]                         // push [rax]
    [InlineData("FF 25 00 00 00 00", false)]             // jmp [rip+disp32]
    [InlineData("00 FF 14", false)]                      // call [sib] without its SIB byte
    [InlineData("FF 15 00 00", false)]                   // call [rip+disp32] cut short
    [InlineData("FF 55", false)]                         // call [rbp+disp8] without its displacement
    [InlineData("B8 27 00 00 00", false)]                // mov eax, 0x27
    [InlineData("66 0F 1F 84 00 00 00 00 00", false)]    // nopw padding
    [InlineData("90 90 90 90 90 90 90", false)]
    public void Calls_are_told_from_other_code(string hex, bool isCall) =>
        Assert.Equal(isCall, X86CallSites.EndsWithCall(Convert.FromHexString(hex.Replace(" ", ""))));
}
