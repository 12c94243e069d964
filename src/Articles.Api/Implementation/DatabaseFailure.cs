using System.Net.Sockets;
using Npgsql;

namespace Articles.Api.Implementation;

/// <summary>Tells an outage of the database (answer 503, retry later) from a bug (answer 500).</summary>
internal static class DatabaseFailure
{
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException pg:
                    // 08: connection exception, 57P: admin/crash shutdown or cannot connect now, 53: out of resources.
                    return pg.SqlState.StartsWith("08", StringComparison.Ordinal)
                           || pg.SqlState.StartsWith("57P", StringComparison.Ordinal)
                           || pg.SqlState.StartsWith("53", StringComparison.Ordinal)
                           || pg.SqlState == PostgresErrorCodes.QueryCanceled;
                case NpgsqlException:
                    // Not a server error: the connection could not be opened, broke, or timed out.
                    return true;
                case SocketException or TimeoutException:
                    return true;
            }
        }

        return false;
    }
}
