using System.Data.Common;
using System.Globalization;
using Jacameno.Push;
using Jacameno.Storage.Catalog;
using static Jacameno.Storage.Catalog.SqlDialect;

namespace Jacameno.Storage.Push;

/// <summary>The push outbox as a table (<c>push_outbox</c>), in SQL both databases share.</summary>
public sealed class PushOutbox(SqlDialect db, TimeProvider clock) : IPushOutbox
{
    public event Action? Enqueued;

    public async Task EnqueueAsync(PushEvent push, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        if (await EnqueueAsync(connection, null, push, cancellationToken) > 0)
        {
            OnEnqueued();
        }
    }

    /// <summary>Tells this process's sender that pushes are waiting (call it once the transaction that queued them committed).</summary>
    public void OnEnqueued() => Enqueued?.Invoke();

    /// <summary>Queues the event inside the caller's transaction (the event's own write); returns how many pushes it queued.</summary>
    public async Task<int> EnqueueAsync(DbConnection connection, DbTransaction? transaction, PushEvent push, CancellationToken cancellationToken)
    {
        // One row per device of the user, when their choice (or else the topic's default) says to push; a second
        // enqueue of the same event adds nothing.
        return await ExecuteAsync(connection, transaction, """
            INSERT INTO push_outbox (event_id, device_id, user_id, topic, actor_id, subject_id, comment_id, detail, created_at, due_at)
            SELECT @event, d.id, d.user_id, @topic, @actor, @subject, @comment, @detail, @now, @now FROM push_devices d
            WHERE d.user_id = @user
              AND COALESCE((SELECT p.enabled FROM push_preferences p WHERE p.user_id = @user AND p.topic = @topic), @default) = 1
            ON CONFLICT (event_id, device_id) DO NOTHING
            """, cancellationToken, c =>
        {
            Add(c, "event", db.IdValue(push.Id));
            Add(c, "user", db.IdValue(push.UserId));
            Add(c, "topic", push.Topic.ToString());
            Add(c, "actor", push.ActorId is { } a ? db.IdValue(a) : null);
            Add(c, "subject", push.SubjectId is { } s ? db.IdValue(s) : null);
            Add(c, "comment", push.CommentId is { } m ? db.IdValue(m) : null);
            Add(c, "detail", push.Detail is { Length: > 200 } d ? d[..200] : push.Detail);
            Add(c, "now", push.CreatedAt.UtcTicks);
            Add(c, "default", PushTopics.OnByDefault(push.Topic) ? 1 : 0);
        });
    }

    public async Task<IReadOnlyList<OutgoingPush>> ClaimAsync(int max, TimeSpan lease, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // As the mail outbox: the outer condition is checked again on a row another sender claimed meanwhile.
        command.CommandText = """
            UPDATE push_outbox SET due_at = @lease, attempts = attempts + 1
            WHERE due_at <= @now AND id IN (SELECT id FROM push_outbox WHERE due_at <= @now ORDER BY due_at LIMIT @max)
            RETURNING id, device_id, event_id, user_id, topic, actor_id, subject_id, comment_id, detail, created_at, attempts
            """;
        Add(command, "now", now.UtcTicks);
        Add(command, "lease", (now + lease).UtcTicks);
        Add(command, "max", max);
        var pushes = new List<OutgoingPush>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            Guid? Optional(int i) => reader.IsDBNull(i) ? null : db.ReadId(reader, i);
            pushes.Add(new OutgoingPush(reader.GetInt64(0), db.ReadId(reader, 1),
                new PushEvent(db.ReadId(reader, 2), db.ReadId(reader, 3), Enum.Parse<PushTopic>(reader.GetString(4)), Optional(5), Optional(6), Optional(7),
                    reader.IsDBNull(8) ? null : reader.GetString(8), Ticks(reader.GetInt64(9))),
                reader.GetInt32(10)));
        }

        return [.. pushes.OrderBy(p => p.Event.CreatedAt)];
    }

    public async Task DeleteAsync(IReadOnlyCollection<long> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM push_outbox WHERE id IN ({InList(command, [.. ids.Cast<object>()], "id")})";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RetryAsync(long id, DateTimeOffset dueAt, string error, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "UPDATE push_outbox SET due_at = @due, last_error = @error WHERE id = @id", cancellationToken, c =>
        {
            Add(c, "id", id);
            Add(c, "due", dueAt.UtcTicks);
            Add(c, "error", error.Length > 500 ? error[..500] : error);
        });
    }

    public async Task<int> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM push_outbox";
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
