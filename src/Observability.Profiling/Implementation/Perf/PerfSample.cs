namespace Observability.Profiling.Implementation.Perf;

/// <summary>
/// One <c>PERF_RECORD_SAMPLE</c> as the sampler asks for it (<see cref="PerfEventSet.SampleType"/>): ip, pid/tid,
/// time, the kernel's frame-pointer callchain, the user registers bp/sp/ip and a copy of the top of the user stack.
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

    /// <summary>
    /// Reads a sample record (header included) laid out for <see cref="PerfEventSet.SampleType"/> with the x86-64
    /// register mask bp, sp, ip; false when the record is shorter than its fields say.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> record, out PerfSample sample)
    {
        sample = default;
        var reader = new SpanReader(record[8..]);
        if (!reader.TryU64(out _)) return false; // PERF_SAMPLE_IP: the callchain's first entry says the same
        if (!reader.TryU32(out var pid) || !reader.TryU32(out var tid)) return false;
        if (!reader.TryU64(out var time)) return false;
        if (!reader.TryU64(out var depth) || depth > 4096 || !reader.TryU64s((int)depth, out var callchain)) return false;
        if (!reader.TryU64(out var abi)) return false;
        ulong bp = 0, sp = 0, ip = 0;
        var stack = ReadOnlySpan<byte>.Empty;
        if (abi != 0)
        {
            // Registers in mask order: bp, sp, ip.
            if (!reader.TryU64(out bp) || !reader.TryU64(out sp) || !reader.TryU64(out ip)) return false;
        }
        // PERF_SAMPLE_STACK_USER: size, size bytes, then the valid length when size is not zero.
        if (!reader.TryU64(out var size)) return false;
        if (size > 0)
        {
            if (size > int.MaxValue || !reader.TryBytes((int)size, out var data) || !reader.TryU64(out var valid)) return false;
            stack = data[..(int)Math.Min(valid, size)];
        }
        sample = new PerfSample((int)pid, (int)tid, time, callchain, bp, sp, ip, stack);
        return true;
    }

    private ref struct SpanReader
    {
        private ReadOnlySpan<byte> _rest;

        public SpanReader(ReadOnlySpan<byte> span) => _rest = span;

        public bool TryU32(out uint value)
        {
            if (_rest.Length < 4)
            {
                value = 0;
                return false;
            }
            value = BitConverter.ToUInt32(_rest);
            _rest = _rest[4..];
            return true;
        }

        public bool TryU64(out ulong value)
        {
            if (_rest.Length < 8)
            {
                value = 0;
                return false;
            }
            value = BitConverter.ToUInt64(_rest);
            _rest = _rest[8..];
            return true;
        }

        public bool TryU64s(int count, out ReadOnlySpan<ulong> values)
        {
            if (_rest.Length < count * 8)
            {
                values = default;
                return false;
            }
            values = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(_rest[..(count * 8)]);
            _rest = _rest[(count * 8)..];
            return true;
        }

        public bool TryBytes(int count, out ReadOnlySpan<byte> bytes)
        {
            if (_rest.Length < count)
            {
                bytes = default;
                return false;
            }
            bytes = _rest[..count];
            _rest = _rest[count..];
            return true;
        }
    }
}
