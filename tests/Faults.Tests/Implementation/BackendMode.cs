namespace Faults.Tests.Implementation;

/// <summary>How a fake backend (collector or Pyroscope) behaves.</summary>
public enum BackendMode
{
    /// <summary>Answers 200 and keeps what it received.</summary>
    Accept,

    /// <summary>Nothing listens on the port: connections are refused.</summary>
    Refuse,

    /// <summary>Accepts TCP connections and never reads or answers (a black-holed backend).</summary>
    BlackHole,

    /// <summary>Answers every request with 503 Service Unavailable.</summary>
    Unavailable,
}
