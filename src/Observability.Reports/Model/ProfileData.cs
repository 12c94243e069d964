namespace Observability.Reports.Model;

/// <summary>A merged profile of the window as root-first stacks with their self values.</summary>
public sealed record ProfileData
{
    public string ProfileTypeId { get; init; } = "";

    /// <summary>Unit of the values, e.g. <c>nanoseconds</c>.</summary>
    public string Unit { get; init; } = "";

    public long Total { get; init; }

    public List<StackSample> Stacks { get; init; } = [];
}
