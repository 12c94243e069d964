using Npgsql;

namespace Articles.Api.Data;

/// <summary>Looks up the users who may sign in.</summary>
public sealed class UserRepository(NpgsqlDataSource dataSource)
{
    public async Task<(int Id, string Username)?> FindByUsername(string username, CancellationToken ct)
    {
        using var activity = ArticlesTelemetry.ActivitySource.StartActivity("UserRepository.FindByUsername");
        await using var command = dataSource.CreateCommand(Implementation.ArticleSql.FindUserByName);
        command.Parameters.AddWithValue("username", username);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt32(0), reader.GetString(1)) : null;
    }
}
