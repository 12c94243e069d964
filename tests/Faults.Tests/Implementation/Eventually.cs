namespace Faults.Tests.Implementation;

/// <summary>Polls a condition that depends on a background activity (an exporter, a server) until a deadline.</summary>
internal static class Eventually
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan deadline, string what)
    {
        var until = DateTime.UtcNow + deadline;
        T last;
        do
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }

            await Task.Delay(Interval);
        }
        while (DateTime.UtcNow < until);

        Assert.Fail($"{what}: not reached within {deadline.TotalSeconds:F0} s (last value: {last})");
        return last;
    }
}
