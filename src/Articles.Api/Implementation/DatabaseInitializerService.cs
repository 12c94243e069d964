using Articles.Api.Data;

namespace Articles.Api.Implementation;

/// <summary>
/// Runs the <see cref="DatabaseInitializer"/> when the host starts: one attempt before the server accepts requests,
/// then background retries while the database is unreachable. The initializer is resolved here, not injected, so
/// that a missing connection string is reported by options validation rather than by service construction.
/// </summary>
internal sealed class DatabaseInitializerService(IServiceProvider services) : IHostedService
{
    // Never disposed on purpose: it has no timer, and hosts in tests may call StopAsync after disposing services.
    private readonly CancellationTokenSource _stopping = new();
    private Task _retries = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var initializer = services.GetRequiredService<DatabaseInitializer>();
        if (!await initializer.TryInitializeAsync(cancellationToken))
        {
            _retries = initializer.RetryUntilReadyAsync(_stopping.Token);
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _retries.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
