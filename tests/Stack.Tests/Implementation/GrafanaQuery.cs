namespace Stack.Tests.Implementation;

/// <summary>
/// One query written in a dashboard or datasource: a panel target, an annotation or a variable.
/// <see cref="Text"/> is the PromQL expression, the LogQL expression, the TraceQL query or the Pyroscope label selector.
/// </summary>
internal sealed record GrafanaQuery(
    string Dashboard,
    string Where,
    string DatasourceType,
    string DatasourceUid,
    string Text,
    string? ProfileTypeId = null)
{
    public override string ToString() => $"{Dashboard} / {Where}: {Text}";
}
