namespace TestSupport.Otlp;

/// <summary>An event recorded on a <see cref="ReceivedSpan"/> (an exception, for example), with its attributes.</summary>
public sealed record ReceivedSpanEvent(string Name, IReadOnlyDictionary<string, string> Attributes);
