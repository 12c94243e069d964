namespace Observability.Profiling.Implementation.Sampling;

/// <summary>
/// Creates, outside any session, the EventSources that code on the reader thread would otherwise create on first
/// use (ConcurrentDictionary's, on any call that takes all its locks; the array pools'). Creating an EventSource
/// waits for the runtime's EventPipe lock, which a stopping session holds while it writes its last events to the
/// stream only the reader drains: a reader that waits for it then never returns, nor does the stop. Found by the
/// soak of 2,000 start/stop cycles (issue 11). Those EventSources are the runtime's, once per process: so is this.
/// </summary>
internal static class ReaderWarmUp
{
    private static volatile bool _done;

    public static void Once()
    {
        if (_done) return;
        _ = new System.Collections.Concurrent.ConcurrentDictionary<int, int>().Count;
        System.Buffers.ArrayPool<byte>.Shared.Return(System.Buffers.ArrayPool<byte>.Shared.Rent(16));
        System.Buffers.ArrayPool<char>.Shared.Return(System.Buffers.ArrayPool<char>.Shared.Rent(16));
        _done = true;
    }
}
