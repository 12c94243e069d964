using System.Diagnostics;

namespace Observability.Sql;

/// <summary>
/// Reads a database client span the same way everywhere (metric label, span name, profile frame): the database
/// system, and the operation and table from the instrumentation's own tags when it set them, else from the
/// statement through <see cref="SqlStatement"/>.
/// </summary>
internal static class DbSpan
{
    private const int MaxSystemLength = 32;

    /// <summary>The <c>db.system.name</c> (or older <c>db.system</c>) of a DB span; null for other spans.</summary>
    public static string? System(Activity activity)
    {
        var system = Tag(activity, "db.system.name") ?? Tag(activity, "db.system");
        return system is null ? null : system.Length <= MaxSystemLength ? system : system[..MaxSystemLength];
    }

    public static (string? Operation, string? Table) Describe(Activity activity)
    {
        var (operation, table) = SqlStatement.Classify(Tag(activity, "db.query.text") ?? Tag(activity, "db.statement"));
        if ((Tag(activity, "db.operation.name") ?? Tag(activity, "db.operation")) is { } named) operation = SqlStatement.Operation(named);
        table = Tag(activity, "db.collection.name") ?? Tag(activity, "db.sql.table") ?? table;
        return (operation, table);
    }

    /// <summary>
    /// <c>postgresql SELECT articles</c>; a name the instrumentation already gave in that shape is kept (it may know
    /// the statement better than its text says), and so is the name of a span that runs no statement (a
    /// connection being opened, say).
    /// </summary>
    public static string Name(Activity activity, string system)
    {
        var (operation, table) = Describe(activity);
        return Name(activity, system, operation, table);
    }

    public static string Name(Activity activity, string system, string? operation, string? table) =>
        operation is null || activity.DisplayName.StartsWith(system + " ", StringComparison.OrdinalIgnoreCase)
            ? activity.DisplayName
            : SqlStatement.Name(system, operation, table);

    private static string? Tag(Activity activity, string name) => activity.GetTagItem(name) switch
    {
        string s when s.Length > 0 => s,
        null => null,
        var other => other.ToString(),
    };
}
