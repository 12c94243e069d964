namespace TestSupport.Pprof;

/// <summary>One decoded pprof sample.</summary>
/// <param name="Stack">Frame names, root first (inlined frames expanded).</param>
/// <param name="Values">One value per sample type.</param>
/// <param name="Labels">String labels (numeric labels are not kept).</param>
public sealed record PprofSample(IReadOnlyList<string> Stack, IReadOnlyList<long> Values, IReadOnlyDictionary<string, string> Labels);
