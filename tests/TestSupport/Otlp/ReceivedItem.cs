namespace TestSupport.Otlp;

/// <summary>
/// What every decoded span, log record and metric point has: its own attributes (values rendered as text by
/// <see cref="OtlpAttributes"/>) and the instrumentation scope and resource it was exported under.
/// </summary>
public abstract record ReceivedItem
{
    public required IReadOnlyDictionary<string, string> Attributes { get; init; }

    /// <summary>The instrumentation scope: the <c>ActivitySource</c>, logger category or <c>Meter</c> name.</summary>
    public required string ScopeName { get; init; }

    /// <summary>The attributes of the resource the item was exported under (service.name, ...).</summary>
    public required IReadOnlyDictionary<string, string> Resource { get; init; }

    public string? Attribute(string key) => Attributes.TryGetValue(key, out var value) ? value : null;
}
