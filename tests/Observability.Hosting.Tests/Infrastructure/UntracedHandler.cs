using OpenTelemetry;

namespace Observability.Hosting.Tests.Infrastructure;

/// <summary>
/// Sends the test's requests without client-side tracing, so the trace context the test puts in the headers
/// is the one the server sees (the client instrumentation would otherwise replace it with its own).
/// </summary>
internal sealed class UntracedHandler() : DelegatingHandler(new SocketsHttpHandler())
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var scope = SuppressInstrumentationScope.Begin();
        return await base.SendAsync(request, cancellationToken);
    }
}
