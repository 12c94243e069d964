namespace Observability.Hosting;

/// <summary>
/// <c>ILogger</c> records exported over OTLP with <c>trace_id</c>/<c>span_id</c> and the request's k6 test id,
/// through the same bounded queue settings as spans (<see cref="OtlpExportOptions"/>). Exported only when an
/// OTLP endpoint is configured.
/// </summary>
public sealed class LogsOptions
{
    /// <summary>Export log records when an OTLP endpoint is configured (default true).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Export each record's logging scopes as attributes (default false): ASP.NET Core's request scope (path, request
    /// and connection ids) on every record, and the app's own scopes. Scope values are exported as the app wrote them:
    /// the kit's scrubbing covers the record's own attributes, not its scopes.
    /// </summary>
    public bool IncludeScopes { get; set; }
}
