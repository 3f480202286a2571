using Jacameno.Projects;
using Jacameno.Storage.Postgres;
using Npgsql;

namespace Jacameno.Storage.OpLog;

/// <summary>The op log in PostgreSQL: appends are group-committed (<see cref="AppendQueue"/>), one statement a batch.</summary>
public sealed class PostgresOpLog : IOpLog, IAsyncDisposable
{
    private readonly PostgresDatabase database;
    private readonly AppendQueue appends;

    public PostgresOpLog(PostgresDatabase database)
    {
        this.database = database;
        appends = new AppendQueue(WriteAsync);
    }

    public Task AppendAsync(Guid projectId, IReadOnlyList<AppliedOp> ops, CancellationToken cancellationToken = default) =>
        appends.AppendAsync(projectId, ops, cancellationToken);

    public ValueTask DisposeAsync() => appends.DisposeAsync();

    /// <summary>One statement for the whole batch; if a version was taken, each append again alone, so only its own fails.</summary>
    private async Task WriteAsync(IReadOnlyList<PendingAppend> batch)
    {
        try
        {
            await InsertAsync(batch);
            foreach (var append in batch)
            {
                append.Done.TrySetResult();
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && batch.Count > 1)
        {
            foreach (var append in batch)
            {
                await WriteAsync([append]);
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            batch[0].Conflicted();
        }
    }

    private async Task InsertAsync(IReadOnlyList<PendingAppend> batch)
    {
        await database.EnsureMigratedAsync();
        var ops = batch.SelectMany(a => a.Ops.Select(op => (a.ProjectId, Op: op))).ToList();
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO project_ops (project_id, version, user_id, client_id, op_id, kind, payload, at, cause)
            SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
            """);
        command.Parameters.AddWithValue(ops.Select(o => o.ProjectId).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.Op.Version).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.Op.UserId).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.Op.ClientId).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.Op.OpId).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.Op.Kind).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.Op.Payload).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.Op.At.ToUniversalTime()).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.Op.Cause).ToArray());
        await command.ExecuteNonQueryAsync();
    }

    public async Task<IReadOnlyList<AppliedOp>> ReadAsync(Guid projectId, long afterVersion, int max, CancellationToken cancellationToken = default)
    {
        await database.EnsureMigratedAsync(cancellationToken);
        await using var command = database.DataSource.CreateCommand("""
            SELECT version, user_id, client_id, op_id, kind, payload, at, cause FROM project_ops
            WHERE project_id = $1 AND version > $2 ORDER BY version LIMIT $3
            """);
        command.Parameters.AddWithValue(projectId);
        command.Parameters.AddWithValue(afterVersion);
        command.Parameters.AddWithValue(max);
        var ops = new List<AppliedOp>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ops.Add(new AppliedOp(reader.GetInt64(0), reader.GetGuid(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetString(7)));
        }

        return ops;
    }

    public async Task DeleteAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await database.EnsureMigratedAsync(cancellationToken);
        await using var command = database.DataSource.CreateCommand("DELETE FROM project_ops WHERE project_id = $1");
        command.Parameters.AddWithValue(projectId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
