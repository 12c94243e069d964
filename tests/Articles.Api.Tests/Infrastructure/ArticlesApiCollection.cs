namespace Articles.Api.Tests.Infrastructure;

/// <summary>The tests that share one database and one running service.</summary>
[CollectionDefinition(Name)]
public sealed class ArticlesApiCollection : ICollectionFixture<ArticlesApiFixture>
{
    public const string Name = "Articles API";
}
