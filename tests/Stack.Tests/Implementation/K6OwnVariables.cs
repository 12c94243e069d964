using TestSupport;

namespace Stack.Tests.Implementation;

/// <summary>
/// The environment variables k6 reads for itself, listed from its source at the pinned tag in
/// TestData/k6-v2.2.0-own-variables.txt (see the header of that file for where they come from).
/// </summary>
internal static class K6OwnVariables
{
    public const string ListedTag = "2.2.0";

    private static readonly string File = RepoPaths.Combine("tests", "Stack.Tests", "TestData", $"k6-v{ListedTag}-own-variables.txt");

    public static IReadOnlySet<string> Names { get; } = System.IO.File.ReadAllLines(File)
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#'))
        .ToHashSet(StringComparer.Ordinal);
}
