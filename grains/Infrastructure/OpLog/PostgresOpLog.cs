using System.Threading.Channels;
using Jacameno.Infrastructure.Postgres;
using Jacameno.Projects;
using Npgsql;

namespace Jacameno.Infrastructure.OpLog;

/// <summary>
/// The op log in PostgreSQL. Appends are group-committed: while one INSERT is in flight, the appends that arrive
/// (from every project on this silo) wait and then go in together as the next statement. On two loaded cores a
/// statement per append cost PostgreSQL and the silo about a third of a core at 1 000 edits/s (benchmarks/README.md);
/// under load, batches grow by themselves, and an append alone is written at once.
/// </summary>
public sealed class PostgresOpLog(PostgresDatabase database) : IOpLog, IAsyncDisposable
{
    /// <summary>Rows per statement at most; a batch larger than this (one append) still goes alone.</summary>
    private const int MaxRows = 1000;

    private readonly Channel<PendingAppend> pending = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock startGate = new();
    private Task? writer;

    public Task AppendAsync(Guid projectId, IReadOnlyList<AppliedOp> ops, CancellationToken cancellationToken = default)
    {
        if (ops.Count == 0)
        {
            return Task.CompletedTask;
        }

        var append = new PendingAppend(projectId, ops);
        if (!pending.Writer.TryWrite(append))
        {
            throw new ObjectDisposedException(nameof(PostgresOpLog));
        }

        EnsureWriter();
        // Once queued, the append is written even if the caller stops waiting: as with a statement already sent.
        return append.Done.Task.WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        pending.Writer.TryComplete();
        if (writer is { } running)
        {
            await running;
        }
    }

    private void EnsureWriter()
    {
        if (writer is not null)
        {
            return;
        }

        lock (startGate)
        {
            writer ??= Task.Run(WriteLoopAsync);
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>();
        while (await pending.Reader.WaitToReadAsync())
        {
            var rows = 0;
            while (rows < MaxRows && pending.Reader.TryRead(out var append))
            {
                batch.Add(append);
                rows += append.Ops.Count;
            }

            await WriteAsync(batch);
            batch.Clear();
        }
    }

    /// <summary>One statement for the whole batch; if a version was taken, each append again alone, so only its own fails.</summary>
    private async Task WriteAsync(List<PendingAppend> batch)
    {
        try
        {
            await InsertAsync(batch);
            batch.ForEach(a => a.Done.TrySetResult());
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
            batch[0].Done.TrySetException(new OpLogConflictException(batch[0].ProjectId, batch[0].Ops[0].Version));
        }
        catch (Exception e)
        {
            batch.ForEach(a => a.Done.TrySetException(e));
        }
    }

    private async Task InsertAsync(List<PendingAppend> batch)
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

    private sealed record PendingAppend(Guid ProjectId, IReadOnlyList<AppliedOp> Ops)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
