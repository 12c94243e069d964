using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Observability.Profiling.Implementation.Spans;

/// <summary>
/// A local-root span as the sampler sees it, in values only: its ids as numbers and the request's load-test labels
/// (shared instances). Threads' histories keep thousands of these; holding no per-request object, they keep nothing of
/// a finished request alive, so the GC has nothing of them to promote.
/// </summary>
internal readonly record struct TrackedSpan(ulong SpanId, ulong TraceHigh, ulong TraceLow, LoadTestLabels? Labels)
{
    public static TrackedSpan From(Activity activity, LoadTestLabels? labels = null)
    {
        Span<byte> trace = stackalloc byte[16];
        activity.TraceId.CopyTo(trace);
        return new TrackedSpan(SpanKey(activity), MemoryMarshal.Read<ulong>(trace), MemoryMarshal.Read<ulong>(trace[8..]), labels);
    }

    /// <summary>The span id as a number (never 0 for a real span).</summary>
    public static ulong SpanKey(Activity activity)
    {
        Span<byte> span = stackalloc byte[8];
        activity.SpanId.CopyTo(span);
        return MemoryMarshal.Read<ulong>(span);
    }

    /// <summary>16 lowercase hex digits, as the span's own id prints.</summary>
    public string SpanIdHex()
    {
        Span<byte> bytes = stackalloc byte[8];
        MemoryMarshal.Write(bytes, SpanId);
        return ActivitySpanId.CreateFromBytes(bytes).ToHexString();
    }

    /// <summary>32 lowercase hex digits.</summary>
    public string TraceIdHex()
    {
        Span<byte> bytes = stackalloc byte[16];
        MemoryMarshal.Write(bytes, TraceHigh);
        MemoryMarshal.Write(bytes[8..], TraceLow);
        return ActivityTraceId.CreateFromBytes(bytes).ToHexString();
    }
}
