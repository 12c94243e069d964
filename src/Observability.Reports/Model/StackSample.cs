namespace Observability.Reports.Model;

/// <summary>One call stack, root first, and the value spent in its leaf frame.</summary>
public sealed record StackSample(IReadOnlyList<string> Frames, long Value);
