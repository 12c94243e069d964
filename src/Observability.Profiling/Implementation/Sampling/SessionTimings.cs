namespace Observability.Profiling.Implementation.Sampling;

/// <summary>How long sessions took to open and to stop: count, total and maximum of each.</summary>
internal sealed class SessionTimings
{
    private readonly object _gate = new();
    private TimeSpan _startTotal, _startMax, _stopTotal, _stopMax;
    private int _starts, _stops;

    public void AddStart(TimeSpan elapsed)
    {
        lock (_gate) (_starts, _startTotal, _startMax) = (_starts + 1, _startTotal + elapsed, elapsed > _startMax ? elapsed : _startMax);
    }

    public void AddStop(TimeSpan elapsed)
    {
        lock (_gate) (_stops, _stopTotal, _stopMax) = (_stops + 1, _stopTotal + elapsed, elapsed > _stopMax ? elapsed : _stopMax);
    }

    public (int Starts, TimeSpan StartTotal, TimeSpan StartMax, int Stops, TimeSpan StopTotal, TimeSpan StopMax) Snapshot()
    {
        lock (_gate) return (_starts, _startTotal, _startMax, _stops, _stopTotal, _stopMax);
    }
}
