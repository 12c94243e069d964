namespace Observability.Reports.Implementation;

/// <summary>The test id has no data where it was looked for; the message says where and what to try.</summary>
internal sealed class NoDataException(string message) : Exception(message);
