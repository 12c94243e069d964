namespace Observability.Reports.Tests.RealApi;

/// <summary>The tests that share one run of the real sample service.</summary>
[CollectionDefinition(Name)]
public sealed class ArticlesApiCollection : ICollectionFixture<ArticlesApiFixture>
{
    public const string Name = "articles api";
}
