namespace Observability.Profiling.Implementation;

/// <summary>
/// The bounded load-test context of a request (k6 test id and scenario), stored by the hosting
/// package on the server <see cref="System.Diagnostics.Activity"/> so profile samples can carry it
/// as the <c>k6_testid</c> and <c>k6_scenario</c> labels.
/// </summary>
/// <param name="TestId">Bounded test id (<c>none</c> without one, <c>other</c> beyond the cap).</param>
/// <param name="Scenario">Bounded scenario name, with the same rules.</param>
internal sealed record LoadTestLabels(string TestId, string Scenario)
{
    /// <summary>Name of the Activity custom property that holds the instance.</summary>
    public const string ActivityPropertyName = "Observability.LoadTestLabels";
}
