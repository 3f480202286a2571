using Jacameno.Infrastructure.Postgres;
using Jacameno.Projects;
using Npgsql;

namespace Jacameno.Infrastructure.OpLog;

public sealed class PostgresOpLog(PostgresDatabase database) : IOpLog
{
    public async Task AppendAsync(Guid projectId, IReadOnlyList<AppliedOp> ops, CancellationToken cancellationToken = default)
    {
        await database.EnsureMigratedAsync(cancellationToken);
        // One statement for the batch: one round trip and one commit however many ops it holds.
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO project_ops (project_id, version, user_id, client_id, op_id, kind, payload, at, cause)
            SELECT $1, * FROM unnest($2::bigint[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
            """);
        command.Parameters.AddWithValue(projectId);
        command.Parameters.AddWithValue(ops.Select(o => o.Version).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.UserId).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.ClientId).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.OpId).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.Kind).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.Payload).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.At.ToUniversalTime()).ToArray());
        command.Parameters.AddWithValue(ops.Select(o => o.Cause).ToArray());
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new OpLogConflictException(projectId, ops[0].Version);
        }
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
