namespace Articles.Api.Configuration;

/// <summary><c>Articles:Database:*</c>: limits on database work.</summary>
public sealed class DatabaseOptions
{
    /// <summary>
    /// Upper bound of one query. v1's cost grows with the page offset (its COUNT subqueries run for skipped rows
    /// too), so a deep page would otherwise hold a connection for minutes; a timeout answers 503.
    /// </summary>
    public int CommandTimeoutSeconds { get; set; } = 30;

    /// <summary>Seconds between attempts to create and seed the schema while the database is unreachable.</summary>
    public int InitializeRetrySeconds { get; set; } = 5;
}
