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
    [InlineData("Articles:Cache:ExpirationSeconds", "0", "Articles:Cache:ExpirationSeconds")]
    [InlineData("Articles:Cache:RedisTimeoutMilliseconds", "60000", "Articles:Cache:RedisTimeoutMilliseconds")]
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

    [Theory]
    [InlineData("127.0.0.1:6379,password=s3cret-value,abortConnect=maybe")]
    [InlineData("127.0.0.1:notaport,password=s3cret-value")]
    [InlineData("password=s3cret-value")]
    public void A_bad_Redis_connection_string_fails_startup_naming_the_key_and_not_the_password(string connectionString)
    {
        var settings = ArticlesApiFactory.SmallSeed(NoDatabase);
        settings["ConnectionStrings:Redis"] = connectionString;
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(settings);

        var error = Assert.Throws<InvalidOperationException>(() => builder.AddArticlesApi());
        Assert.Contains("ConnectionStrings:Redis", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", error.Message, StringComparison.Ordinal);
    }
}
