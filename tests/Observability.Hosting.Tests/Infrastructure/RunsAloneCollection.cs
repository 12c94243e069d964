namespace Observability.Hosting.Tests;

/// <summary>
/// Tests that touch process-wide state (environment variables, exact span counts: every tracer provider in
/// the process sees every host's activities) run alone, after the parallel ones.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAloneCollection
{
    public const string Name = "Runs alone";
}
