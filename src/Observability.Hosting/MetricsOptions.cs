namespace Observability.Hosting;

/// <summary>Which .NET meters besides the runtime's, Kestrel's, HttpClient's and Npgsql's are published on <c>/metrics</c>.</summary>
public sealed class MetricsOptions
{
    /// <summary>
    /// <c>Meter</c> names to publish besides those named after the application (<c>MyApp</c>, <c>MyApp.Orders</c>);
    /// a trailing <c>*</c> takes every meter that starts with what comes before it.
    /// </summary>
    public IList<string> Meters { get; } = new List<string>();
}
