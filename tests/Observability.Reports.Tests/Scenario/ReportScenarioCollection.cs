namespace Observability.Reports.Tests.Scenario;

/// <summary>The tests that share one real Prometheus and the reports made from it.</summary>
[CollectionDefinition(Name)]
public sealed class ReportScenarioCollection : ICollectionFixture<ReportScenarioFixture>
{
    public const string Name = "report scenario";
}
