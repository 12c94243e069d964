using System.Diagnostics;
using Observability.Sql;
using OpenTelemetry;

namespace Observability.Hosting.Implementation;

/// <summary>
/// Runs on every ended span after the URL redaction and before the profiler and the export. For database client spans it scrubs what must not leave the process
/// (string literals in the statement, parameter values, the connection string), names the span
/// <c>postgresql SELECT articles</c> and records <c>db_client_operation_duration_seconds</c> (labels <c>db_system_name</c>,
/// <c>db_operation_name</c>) with the span as exemplar, and the same on the kit's meter for OTLP. The table is left out of the labels: a statement can name any.
/// </summary>
internal sealed class DbSpanProcessor(HostingMetrics metrics) : BaseProcessor<Activity>
{
    private static readonly string[] StatementTags = ["db.statement", "db.query.text"];
    private static readonly string[] RemovedTags = ["db.connection_string"];
    private const string DbSystemNameTag = "db.system.name";
    private const string DbOperationNameTag = "db.operation.name";

    public override void OnEnd(Activity activity)
    {
        if (DbSpan.System(activity) is not { } system) return;

        foreach (var tag in StatementTags)
        {
            if (activity.GetTagItem(tag) is string text) activity.SetTag(tag, Redaction.SanitizeSql(text));
        }
        foreach (var tag in RemovedTags)
            if (activity.GetTagItem(tag) is not null) activity.SetTag(tag, null);
        RemoveParameterTags(activity);

        // One reading of the statement names the span (Npgsql and SqlClient name it after the database) and labels
        // the metric; exporters and the profiler, which run after this processor, see the name.
        var (operation, table) = DbSpan.Describe(activity);
        activity.DisplayName = DbSpan.Name(activity, system, operation, table);
        var systemLabel = LabelValues.Bounded(system, 32);
        var operationLabel = operation ?? SqlStatement.OtherOperation;
        var child = metrics.DbOperationDuration.WithLabels(systemLabel, operationLabel);
        child.Observe(activity.Duration.TotalSeconds, ExemplarFactory.For(activity));
        // The same observation for an OTLP export, with the same bounded values; nothing happens while no provider listens.
        if (metrics.DbOperations.Enabled)
            metrics.DbOperations.Record(activity.Duration.TotalSeconds,
                new KeyValuePair<string, object?>(DbSystemNameTag, systemLabel), new KeyValuePair<string, object?>(DbOperationNameTag, operationLabel));
    }

    // Instrumentations that can record parameters put them under these prefixes; they never leave the process.
    private static void RemoveParameterTags(Activity activity)
    {
        List<string>? remove = null;
        foreach (var tag in activity.TagObjects)
        {
            if (tag.Key.StartsWith("db.query.parameter.", StringComparison.Ordinal)
                || tag.Key.StartsWith("db.statement.parameter", StringComparison.Ordinal))
                (remove ??= []).Add(tag.Key);
        }
        if (remove is null) return;
        foreach (var key in remove) activity.SetTag(key, null);
    }
}
