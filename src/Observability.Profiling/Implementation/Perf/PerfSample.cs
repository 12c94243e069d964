namespace Observability.Profiling.Implementation.Perf;

/// <summary>
/// One <c>PERF_RECORD_SAMPLE</c> as the sampler asks for it (<see cref="PerfEventSet.SampleType"/>): ip, pid/tid,
/// time, the kernel's frame-pointer callchain, the user registers bp/sp/ip and a copy of the top of the user stack.
/// <see cref="PerfRing.TryReadSample"/> decodes it from a record.
/// </summary>
internal readonly ref struct PerfSample
{
    public PerfSample(int pid, int tid, ulong time, ReadOnlySpan<ulong> callchain, ulong bp, ulong sp, ulong ip, ReadOnlySpan<byte> stack)
    {
        Pid = pid;
        Tid = tid;
        Time = time;
        Callchain = callchain;
        Bp = bp;
        Sp = sp;
        Ip = ip;
        Stack = stack;
    }

    public int Pid { get; }

    public int Tid { get; }

    /// <summary>CLOCK_MONOTONIC nanoseconds (the events use that clock).</summary>
    public ulong Time { get; }

    /// <summary>Leaf first, context markers included (entries at or above <see cref="PerfConstants.ContextMax"/>).</summary>
    public ReadOnlySpan<ulong> Callchain { get; }

    public ulong Bp { get; }

    public ulong Sp { get; }

    public ulong Ip { get; }

    /// <summary>The user stack from <see cref="Sp"/> upwards, as far as the kernel copied it (empty without registers).</summary>
    public ReadOnlySpan<byte> Stack { get; }
}
