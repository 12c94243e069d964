using System.Runtime.CompilerServices;

namespace Observability.Profiling.Tests;

/// <summary>CPU-bound methods with names the tests look for in profiles.</summary>
internal static class Workload
{
    public static volatile int Sink;

    // Each method has its own loop so that it is the leaf frame of its samples; the clock is read rarely
    // because the runtime samples a thread at safe points such as the return from a native call.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SpinAlpha(TimeSpan duration)
    {
        var end = Environment.TickCount64 + (long)duration.TotalMilliseconds;
        double x = 0;
        while (Environment.TickCount64 < end)
        {
            for (var i = 1; i < 200_000; i++) x += Math.Sqrt(i);
        }
        Sink = (int)x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SpinBeta(TimeSpan duration)
    {
        var end = Environment.TickCount64 + (long)duration.TotalMilliseconds;
        double x = 0;
        while (Environment.TickCount64 < end)
        {
            for (var i = 1; i < 200_000; i++) x += Math.Sqrt(i + 1);
        }
        Sink = (int)x;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SpinMarker(CancellationToken stop)
    {
        double x = 0;
        while (!stop.IsCancellationRequested)
        {
            for (var i = 1; i < 200_000; i++) x += Math.Sqrt(i + 2);
        }
        Sink = (int)x;
    }

    /// <summary>CPU work done in a native library (OpenSSL on Linux), as RS256 signature checks are.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void HashNatively(TimeSpan duration)
    {
        var data = new byte[1 << 20];
        var end = Environment.TickCount64 + (long)duration.TotalMilliseconds;
        while (Environment.TickCount64 < end)
        {
            data[0] ^= System.Security.Cryptography.SHA256.HashData(data)[0];
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void SleepBlocked(TimeSpan duration) => Thread.Sleep(duration);

    /// <summary>Runs <paramref name="body"/> on a new dedicated thread (so it has its own OS thread id).</summary>
    public static Task OnThread(Action body)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                body();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }) { IsBackground = true };
        thread.Start();
        return done.Task;
    }
}
