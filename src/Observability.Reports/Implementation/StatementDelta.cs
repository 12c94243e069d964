namespace Observability.Reports.Implementation;

/// <summary>A DB statement's mean duration in run A and run B (null where the run did not have it).</summary>
internal sealed record StatementDelta(string System, string Statement, double? MeanMsA, double? MeanMsB, int CountA, int CountB)
{
    public double? ChangeMs => MeanMsA is { } a && MeanMsB is { } b ? b - a : null;

    public string Kind => (MeanMsA, MeanMsB) switch
    {
        (null, _) => "new",
        (_, null) => "gone",
        _ when ChangeMs > 0 => "slower",
        _ when ChangeMs < 0 => "faster",
        _ => "same",
    };
}
