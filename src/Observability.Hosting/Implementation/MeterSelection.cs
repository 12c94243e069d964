namespace Observability.Hosting.Implementation;

/// <summary>
/// Which meters besides the runtime's and the host's own ASP.NET Core meters reach <c>/metrics</c>: HttpClient's
/// (<c>System.Net.Http</c>), Npgsql's, the application's by convention (a meter named after the application or below
/// it: <c>MyApp</c>, <c>MyApp.Orders</c>, as for its ActivitySources) and those named in
/// <c>Observability:Metrics:Meters</c> (<c>Name</c>, or <c>Name.*</c> / <c>Name*</c> for every meter starting so).
/// </summary>
internal sealed class MeterSelection
{
    private static readonly string[] Libraries = ["System.Net.Http", "Npgsql"];

    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<string> _prefixes = new();

    public MeterSelection(string? applicationName, IEnumerable<string> configured)
    {
        foreach (var library in Libraries) _names.Add(library);
        if (!string.IsNullOrWhiteSpace(applicationName))
        {
            _names.Add(applicationName);
            _prefixes.Add(applicationName + ".");
        }
        foreach (var entry in configured.Select(c => c.Trim()).Where(c => c.Length > 0))
        {
            if (entry.EndsWith('*')) _prefixes.Add(entry.TrimEnd('*'));
            else _names.Add(entry);
        }
    }

    public static MeterSelection None { get; } = new(null, []);

    /// <summary>The selection as a provider's <c>AddMeter</c> arguments: names, and prefixes as <c>Prefix*</c> wildcards.</summary>
    public IEnumerable<string> AsMeterArguments() => _names.Concat(_prefixes.Select(prefix => prefix + "*"));

    public bool Includes(string meterName) =>
        _names.Contains(meterName) || _prefixes.Any(prefix => meterName.StartsWith(prefix, StringComparison.Ordinal));
}
