namespace Observability.Reports.Implementation;

/// <summary>A backend could not answer: unreachable, timed out, or refused the query. The message is for people.</summary>
internal sealed class BackendException(string backend, string detail, Exception? inner = null)
    : Exception($"{backend}: {detail}", inner)
{
    public string Backend { get; } = backend;

    public string Detail { get; } = detail;
}
