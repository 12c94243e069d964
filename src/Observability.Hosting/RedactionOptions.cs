namespace Observability.Hosting;

/// <summary>
/// What the kit lets leave the process from URLs and log records. By default every query-string value is
/// replaced by <c>REDACTED</c> (keys are kept) on server spans (<c>url.query</c>), client spans (<c>url.full</c>)
/// and exported log records: never weaker than OpenTelemetry's own instrumentation default.
/// </summary>
public sealed class RedactionOptions
{
    /// <summary>
    /// Query keys whose values are kept, compared after percent-decoding and case-sensitively (<c>page</c>,
    /// <c>sort</c>). Names that look like credentials (<c>token</c>, <c>code</c>, <c>sig</c>, <c>*_key</c>,
    /// <c>password</c>, …) are refused at startup.
    /// </summary>
    public IList<string> QueryAllowList { get; } = new List<string>();
}
