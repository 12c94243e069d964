namespace Observability.Reports.Tests.Scenario;

/// <summary>One request of a simulated load: what the service's histogram and k6's counter record.</summary>
public sealed record SimulatedRequest(string Method, string Route, int Status, double Seconds);
