using Articles.Api;

var builder = WebApplication.CreateBuilder(args);
builder.AddObservability();
builder.AddArticlesApi();

var app = builder.Build();
app.MapArticlesApi();
app.Run();

/// <summary>Entry point; public so that tests can host the app with WebApplicationFactory.</summary>
public partial class Program
{
}
