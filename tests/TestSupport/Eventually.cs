using System.Diagnostics;

namespace TestSupport;

/// <summary>
/// Polls something that changes in the background (an exporter, a scrape, a restarted server) until it is as
/// expected or a timeout passes; then fails with what was awaited and the last value seen. For a change that
/// raises a signal (a receiver's "something arrived"), wait on the signal instead.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Calls <paramref name="probe"/> until <paramref name="done"/> holds for its value, and returns that value.
    /// Throws <see cref="TimeoutException"/> naming <paramref name="what"/> and the last value (through
    /// <paramref name="describe"/>, or its <c>ToString()</c>). An exception from the probe ends the wait at once.
    /// </summary>
    public static async Task<T> ReturnsAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what,
        Func<T, string>? describe = null, TimeSpan? interval = null)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var last = await probe();
            if (done(last))
            {
                return last;
            }

            // Checked after the probe: a probe that started before the timeout still counts.
            if (clock.Elapsed >= timeout)
            {
                var seen = describe is null ? last?.ToString() : describe(last);
                throw new TimeoutException($"{what}: not seen within {timeout.TotalSeconds:0.#} s (last value: {seen})");
            }

            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    /// <inheritdoc cref="ReturnsAsync{T}(Func{Task{T}}, Func{T, bool}, TimeSpan, string, Func{T, string}?, TimeSpan?)"/>
    public static Task<T> ReturnsAsync<T>(
        Func<T> probe, Func<T, bool> done, TimeSpan timeout, string what,
        Func<T, string>? describe = null, TimeSpan? interval = null) =>
        ReturnsAsync(() => Task.FromResult(probe()), done, timeout, what, describe, interval);

    /// <summary>Waits until <paramref name="condition"/> holds; <paramref name="describe"/> adds the state to the failure.</summary>
    public static Task HoldsAsync(
        Func<Task<bool>> condition, TimeSpan timeout, string what, Func<string>? describe = null, TimeSpan? interval = null) =>
        ReturnsAsync(condition, held => held, timeout, what, _ => describe?.Invoke() ?? "false", interval);

    /// <inheritdoc cref="HoldsAsync(Func{Task{bool}}, TimeSpan, string, Func{string}?, TimeSpan?)"/>
    public static Task HoldsAsync(
        Func<bool> condition, TimeSpan timeout, string what, Func<string>? describe = null, TimeSpan? interval = null) =>
        HoldsAsync(() => Task.FromResult(condition()), timeout, what, describe, interval);
}
