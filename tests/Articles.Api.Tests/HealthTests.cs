using System.Net;
using Articles.Api.Tests.Infrastructure;

namespace Articles.Api.Tests;

/// <summary>Liveness and readiness with the database up (the outage side is in DatabaseOutageTests).</summary>
[Collection(ArticlesApiCollection.Name)]
public sealed class HealthTests(ArticlesApiFixture fixture)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_endpoints_answer_healthy_without_a_token(string path)
    {
        using var response = await fixture.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
