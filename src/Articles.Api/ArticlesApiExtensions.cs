using Articles.Api.Auth;
using Articles.Api.Caching;
using Articles.Api.Configuration;
using Articles.Api.Data;
using Articles.Api.Endpoints;
using Articles.Api.Implementation;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Articles.Api;

/// <summary>The two steps Program.cs calls: services, then pipeline and endpoints.</summary>
public static class ArticlesApiExtensions
{
    public static WebApplicationBuilder AddArticlesApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // Options are validated when the host starts: a bad value stops it with the key's name.
        services.AddOptions<ArticlesOptions>().BindConfiguration(ArticlesOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ArticlesOptions>, ArticlesOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp => CreateDataSource(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton<ArticleRepository>();
        builder.AddArticlesCache();
        services.AddSingleton<UserRepository>();
        services.AddSingleton<DatabaseInitializer>();
        services.AddHostedService<DatabaseInitializerService>();

        services.AddSingleton<JwtSigningKeys>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<IConfigureOptions<JwtBearerOptions>, ConfigureJwtBearer>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddAuthorization();

        // Errors answer with problem details and never with a stack trace; an outage answers 503.
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestHandler>();
        services.AddExceptionHandler<DatabaseUnavailableHandler>();
        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: [HealthEndpoints.ReadyTag]);
        return builder;
    }

    public static WebApplication MapArticlesApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapAuthEndpoints();
        app.MapArticleEndpoints();
        return app;
    }

    private static NpgsqlDataSource CreateDataSource(IConfiguration configuration)
    {
        // Resolved while the host starts (the initializer needs it), before options validation runs: check here too.
        var connectionString = configuration.GetConnectionString(ArticlesOptions.ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException($"{ArticlesOptions.ConnectionStringKey} is required (e.g. Host=localhost;Database=articles;Username=articles).");
        }

        try
        {
            // No span-name provider: AddObservability() names every DB span after its operation and table.
            return new NpgsqlDataSourceBuilder(connectionString).Build();
        }
        catch (ArgumentException e)
        {
            // Npgsql names the keyword, never the value, so no password reaches the log.
            throw new InvalidOperationException($"{ArticlesOptions.ConnectionStringKey} is not a valid connection string: {e.Message}", e);
        }
    }
}
