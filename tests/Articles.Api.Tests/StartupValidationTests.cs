using Articles.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

namespace Articles.Api.Tests;

/// <summary>
/// A bad setting stops the host at startup with a message that names the key. The app is built here with the
/// same two calls as Program.cs: when a host fails to start, WebApplicationFactory can surface an
/// ObjectDisposedException of its own instead of the host's exception.
/// </summary>
public sealed class StartupValidationTests
{
    // Port 1 on loopback: nothing listens there, and validation must fail before any connection is tried.
    private const string NoDatabase = "Host=127.0.0.1;Port=1;Database=none;Username=none;Timeout=2";

    [Theory]
    [InlineData("Articles:Jwt:Algorithm", "HS256", "Articles:Jwt:HmacSecret")]
    [InlineData("Articles:Jwt:Algorithm", "ES256", "Articles:Jwt:Algorithm")]
    [InlineData("Articles:Jwt:RsaPrivateKeyPem", "-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----", "Articles:Jwt:RsaPrivateKeyPem")]
    [InlineData("Articles:Seed:Users", "0", "Articles:Seed:Users")]
    [InlineData("Articles:Seed:MaxTagsPerArticle", "99", "Articles:Seed:MaxTagsPerArticle")]
    [InlineData("Articles:Database:CommandTimeoutSeconds", "0", "Articles:Database:CommandTimeoutSeconds")]
    [InlineData("ConnectionStrings:Articles", "", "ConnectionStrings:Articles")]
    public async Task Bad_setting_fails_startup_naming_the_key(string key, string value, string expectedKey)
    {
        var settings = ArticlesApiFactory.SmallSeed(NoDatabase);
        settings[key] = value;
        if (value == "HS256")
        {
            settings["Articles:Jwt:HmacSecret"] = "too-short";
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddArticlesApi();
        await using var app = builder.Build();
        app.MapArticlesApi();

        var error = await Assert.ThrowsAnyAsync<Exception>(() => app.StartAsync());
        Assert.True(error.ToString().Contains(expectedKey, StringComparison.Ordinal), error.ToString());
        Assert.DoesNotContain("too-short", error.Message, StringComparison.Ordinal);
    }
}
