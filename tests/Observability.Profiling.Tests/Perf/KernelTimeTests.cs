using System.Text;
using Observability.Profiling.Implementation.Perf;

namespace Observability.Profiling.Tests.Perf;

/// <summary>System time per thread from <c>/proc/self/task/TID/stat</c>, which fills the CPU time perf events cannot sample.</summary>
public sealed class KernelTimeTests
{
    [Theory]
    [InlineData("1234 (dotnet) S 1 1234 1234 0 -1 4194560 100 0 0 0 57 31 0 0 20 0 1 0 100 0 0", 31L)]
    [InlineData("77 (.NET TP Worker) R 1 2 3 4 5 6 7 8 9 10 1000 2345 0 0", 2345L)]
    [InlineData("77 (a) (b) c) S 1 2 3 4 5 6 7 8 9 10 11 12 13", 12L)]
    [InlineData("77 (x) S 1 2", null)]
    [InlineData("no parenthesis at all", null)]
    [InlineData("77 (x) S 1 2 3 4 5 6 7 8 9 10 11 -5 13", null)]
    public void System_time_is_field_15_counted_after_the_command_name(string line, long? expected)
    {
        Assert.Equal(expected, KernelTime.Parse(Encoding.ASCII.GetBytes(line)));
    }

    [Fact]
    public void A_thread_that_makes_system_calls_shows_system_time()
    {
        var tid = Implementation.Spans.OsThread.CurrentId;
        var before = KernelTime.Read(tid);
        var end = Environment.TickCount64 + 300;
        var path = Path.GetTempFileName();
        try
        {
            // Many small writes: time in the kernel.
            while (Environment.TickCount64 < end) File.WriteAllText(path, "x");
        }
        finally
        {
            File.Delete(path);
        }
        Assert.NotNull(before);
        Assert.True(KernelTime.Read(tid) > before, "no system time counted for 300 ms of system calls");
        var kernel = new KernelTime();
        var seen = new List<(int, long)>();
        kernel.Collect([tid], (t, n) => seen.Add((t, n)));
        Assert.Empty(seen); // The first call only sets the baseline.
    }
}
