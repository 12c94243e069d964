namespace Articles.Api.Tests.Infrastructure;

/// <summary>
/// Tests that need a service instance of their own next to the collection's shared one (other settings, or a database
/// they break): it starts before the class's tests with the settings the class gives, and stops after them.
/// </summary>
public abstract class OwnInstanceTests : IAsyncLifetime
{
    private ArticlesApiFactory? _factory;

    protected HttpClient Client => _factory!.Client;

    /// <summary>The instance's settings: <see cref="ArticlesApiFactory.SmallSeed"/>, changed as the class needs.</summary>
    protected abstract Task<Dictionary<string, string?>> SettingsAsync();

    public async Task InitializeAsync() => _factory = ArticlesApiFactory.Start(await SettingsAsync());

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
    }
}
