using System.Globalization;
using Jacameno.Projects;
using Jacameno.Storage.Sqlite;
using Microsoft.Data.Sqlite;

namespace Jacameno.Storage.OpLog;

/// <summary>
/// The op log in the embedded SQLite file: appends are group-committed (<see cref="AppendQueue"/>), one transaction
/// a batch, with a savepoint per append so that a conflict undoes only its own append.
/// </summary>
public sealed class SqliteOpLog : IOpLog, IAsyncDisposable
{
    private const int ConstraintViolation = 19;

    private readonly SqliteDatabase database;
    private readonly AppendQueue appends;

    public SqliteOpLog(SqliteDatabase database)
    {
        this.database = database;
        appends = new AppendQueue(batch => database.WriteAsync(connection => WriteAsync(connection, batch)));
    }

    public Task AppendAsync(Guid projectId, IReadOnlyList<AppliedOp> ops, CancellationToken cancellationToken = default) =>
        appends.AppendAsync(projectId, ops, cancellationToken);

    public ValueTask DisposeAsync() => appends.DisposeAsync();

    private static async Task<bool> WriteAsync(SqliteConnection connection, IReadOnlyList<PendingAppend> batch)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO project_ops (project_id, version, user_id, client_id, op_id, kind, payload, at, cause)
            VALUES (@project, @version, @user, @client, @op, @kind, @payload, @at, @cause)
            """;
        var project = command.Parameters.Add("@project", SqliteType.Text);
        var version = command.Parameters.Add("@version", SqliteType.Integer);
        var user = command.Parameters.Add("@user", SqliteType.Text);
        var client = command.Parameters.Add("@client", SqliteType.Text);
        var op = command.Parameters.Add("@op", SqliteType.Text);
        var kind = command.Parameters.Add("@kind", SqliteType.Text);
        var payload = command.Parameters.Add("@payload", SqliteType.Text);
        var at = command.Parameters.Add("@at", SqliteType.Text);
        var cause = command.Parameters.Add("@cause", SqliteType.Text);
        var written = new List<PendingAppend>(batch.Count);
        foreach (var append in batch)
        {
            const string savepoint = "append";
            await transaction.SaveAsync(savepoint);
            project.Value = append.ProjectId.ToString("N");
            try
            {
                foreach (var applied in append.Ops)
                {
                    (version.Value, user.Value, client.Value, op.Value, kind.Value, payload.Value, at.Value) =
                        (applied.Version, applied.UserId.ToString("N"), applied.ClientId, applied.OpId, applied.Kind, applied.Payload, applied.At.ToString("O"));
                    cause.Value = (object?)applied.Cause ?? DBNull.Value;
                    await command.ExecuteNonQueryAsync();
                }

                await transaction.ReleaseAsync(savepoint);
                written.Add(append);
            }
            catch (SqliteException e) when (e.SqliteErrorCode == ConstraintViolation)
            {
                await transaction.RollbackAsync(savepoint);
                await transaction.ReleaseAsync(savepoint);
                append.Conflicted();
            }
        }

        await transaction.CommitAsync();
        written.ForEach(a => a.Done.TrySetResult());
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
