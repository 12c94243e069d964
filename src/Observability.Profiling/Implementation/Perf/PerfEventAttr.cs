using System.Runtime.InteropServices;

namespace Observability.Profiling.Implementation.Perf;

/// <summary>
/// <c>struct perf_event_attr</c> of <c>linux/perf_event.h</c>, at its 128-byte size (PERF_ATTR_SIZE_VER7): the fields
/// the sampler sets, at their offsets; the rest stay zero.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PerfEventAttr
{
    public const uint Size128 = 128;

    [FieldOffset(0)] public uint Type;
    [FieldOffset(4)] public uint Size;
    [FieldOffset(8)] public ulong Config;
    [FieldOffset(16)] public ulong SamplePeriod;
    [FieldOffset(24)] public ulong SampleType;
    [FieldOffset(32)] public ulong ReadFormat;
    [FieldOffset(40)] public ulong Flags;
    [FieldOffset(48)] public uint WakeupWatermark;
    [FieldOffset(80)] public ulong SampleRegsUser;
    [FieldOffset(88)] public uint SampleStackUser;
    [FieldOffset(92)] public int ClockId;
    [FieldOffset(108)] public ushort SampleMaxStack;
}

/// <summary>Constants of <c>linux/perf_event.h</c> the sampler uses.</summary>
internal static class PerfConstants
{
    public const uint TypeSoftware = 1;
    public const ulong CountSwCpuClock = 0;
    public const ulong CountSwTaskClock = 1;

    // perf_event_attr.sample_type bits, and the order their fields take in a sample record.
    public const ulong SampleIp = 1UL << 0;
    public const ulong SampleTid = 1UL << 1;
    public const ulong SampleTime = 1UL << 2;
    public const ulong SampleCallchain = 1UL << 5;
    public const ulong SampleRegsUser = 1UL << 12;
    public const ulong SampleStackUser = 1UL << 13;

    // perf_event_attr flag bits (the bitfield after read_format).
    public const ulong FlagDisabled = 1UL << 0;
    public const ulong FlagExcludeKernel = 1UL << 5;
    public const ulong FlagExcludeHv = 1UL << 6;
    public const ulong FlagWatermark = 1UL << 14;
    public const ulong FlagExcludeCallchainKernel = 1UL << 21;
    public const ulong FlagUseClockId = 1UL << 25;

    public const int ClockMonotonic = 1;
    public const ulong FlagFdCloexec = 8;

    // ioctl requests: _IO('$', n).
    public const ulong IocEnable = 0x2400;
    public const ulong IocDisable = 0x2401;
    public const ulong IocSetOutput = 0x2405;

    // perf_event_header.type
    public const uint RecordLost = 2;
    public const uint RecordSample = 9;

    /// <summary>Callchain entries at or above this value are context markers (PERF_CONTEXT_USER and the like), not addresses.</summary>
    public const ulong ContextMax = unchecked((ulong)-4095);

    // struct perf_event_mmap_page: where the ring's positions and layout are.
    public const int MmapDataHead = 1024;
    public const int MmapDataTail = 1032;
    public const int MmapDataOffset = 1040;
    public const int MmapDataSize = 1048;

    // x86-64 user registers in perf's order (arch/x86/include/uapi/asm/perf_regs.h): the mask keeps bp, sp, ip.
    public const int RegBp = 6;
    public const int RegSp = 7;
    public const int RegIp = 8;
    public const ulong RegsMaskX64 = (1UL << RegBp) | (1UL << RegSp) | (1UL << RegIp);
}
