using System.Globalization;
using Jacameno.Infrastructure.Sqlite;
using Jacameno.Projects;
using Microsoft.Data.Sqlite;

namespace Jacameno.Infrastructure.OpLog;

public sealed class SqliteOpLog(SqliteDatabase database) : IOpLog
{
    private const int ConstraintViolation = 19;

    public Task AppendAsync(Guid projectId, IReadOnlyList<AppliedOp> ops, CancellationToken cancellationToken = default) =>
        database.WriteAsync(connection => AppendAsync(connection, projectId, ops, cancellationToken), cancellationToken);

    private static async Task<bool> AppendAsync(SqliteConnection connection, Guid projectId, IReadOnlyList<AppliedOp> ops, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO project_ops (project_id, version, user_id, client_id, op_id, kind, payload, at, cause)
            VALUES (@project, @version, @user, @client, @op, @kind, @payload, @at, @cause)
            """;
        var project = command.Parameters.AddWithValue("@project", projectId.ToString("N"));
        var version = command.Parameters.Add("@version", SqliteType.Integer);
        var user = command.Parameters.Add("@user", SqliteType.Text);
        var client = command.Parameters.Add("@client", SqliteType.Text);
        var op = command.Parameters.Add("@op", SqliteType.Text);
        var kind = command.Parameters.Add("@kind", SqliteType.Text);
        var payload = command.Parameters.Add("@payload", SqliteType.Text);
        var at = command.Parameters.Add("@at", SqliteType.Text);
        var cause = command.Parameters.Add("@cause", SqliteType.Text);
        foreach (var applied in ops)
        {
            (version.Value, user.Value, client.Value, op.Value, kind.Value, payload.Value, at.Value) =
                (applied.Version, applied.UserId.ToString("N"), applied.ClientId, applied.OpId, applied.Kind, applied.Payload, applied.At.ToString("O"));
            cause.Value = (object?)applied.Cause ?? DBNull.Value;
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == ConstraintViolation)
            {
                throw new OpLogConflictException(projectId, applied.Version);
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public async Task<IReadOnlyList<AppliedOp>> ReadAsync(Guid projectId, long afterVersion, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT version, user_id, client_id, op_id, kind, payload, at, cause FROM project_ops
            WHERE project_id = @project AND version > @after ORDER BY version LIMIT @max
            """;
        command.Parameters.AddWithValue("@project", projectId.ToString("N"));
        command.Parameters.AddWithValue("@after", afterVersion);
        command.Parameters.AddWithValue("@max", max);
        var ops = new List<AppliedOp>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ops.Add(new AppliedOp(reader.GetInt64(0), Guid.ParseExact(reader.GetString(1), "N"), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), DateTimeOffset.Parse(reader.GetString(6), CultureInfo.InvariantCulture),
                reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return ops;
    }

    public async Task DeleteAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM project_ops WHERE project_id = @project";
        command.Parameters.AddWithValue("@project", projectId.ToString("N"));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
