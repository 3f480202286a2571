using System.Globalization;
using Jacameno.Push;
using Jacameno.Storage.Catalog;
using Jacameno.Storage.Push;
using static Jacameno.Storage.Catalog.SqlDialect;

namespace Jacameno.Streaming;

// The catalog's notifications (StreamingCatalog.cs has the shared readers).
public sealed partial class StreamingCatalog
{
    public async Task AddNotificationAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO catalog_notifications (id, user_id, kind, actor_id, release_id, comment_id, created_at, sort_key, read)
            VALUES (@id, @user, @kind, @actor, @release, @comment, @created, @key, 0)
            """, cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(notification.Id));
            Add(c, "user", db.IdValue(notification.UserId));
            Add(c, "kind", notification.Kind.ToString());
            Add(c, "actor", db.IdValue(notification.ActorId));
            Add(c, "release", notification.ReleaseId is { } r ? db.IdValue(r) : null);
            Add(c, "comment", notification.CommentId is { } m ? db.IdValue(m) : null);
            Add(c, "created", notification.CreatedAt.UtcTicks);
            Add(c, "key", NewestFirst.Key(notification.CreatedAt));
        });
        // Its pushes are written with it: the notification and what the user's devices hear of it stand or fall together.
        var pushes = await push.EnqueueAsync(connection, transaction, new PushEvent(notification.Id, notification.UserId, PushTopics.Of(notification.Kind),
            notification.ActorId, notification.ReleaseId, notification.CommentId, null, notification.CreatedAt), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (pushes > 0)
        {
            push.OnEnqueued();
        }
    }

    public async Task<IReadOnlyList<Notification>> NotifyFollowersAsync(Guid actorId, Guid releaseId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var followers = new List<Guid>();
        await using (var connection = await db.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT follower_id FROM catalog_follows WHERE followee_id = @actor";
            Add(command, "actor", db.IdValue(actorId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                followers.Add(db.ReadId(reader, 0));
            }
        }

        var notifications = followers.Select(f => new Notification(Guid.NewGuid(), f, NotificationKind.Release, actorId, releaseId, null, at)).ToList();
        foreach (var notification in notifications)
        {
            await AddNotificationAsync(notification, cancellationToken);
        }

        return notifications;
    }

    public async Task<CatalogPage<Notification>> ListNotificationsAsync(Guid userId, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, user_id, kind, actor_id, release_id, comment_id, created_at, read, sort_key FROM catalog_notifications
            WHERE user_id = @user {(cursor is null ? "" : "AND (sort_key > @afterKey OR (sort_key = @afterKey AND id > @afterId))")}
            ORDER BY sort_key, id LIMIT @limit
            """;
        Add(command, "user", db.IdValue(userId));
        if (cursor is { } c)
        {
            Add(command, "afterKey", c.SortKey);
            Add(command, "afterId", db.IdValue(c.Id));
        }

        Add(command, "limit", size + 1);
        var rows = new List<(Notification, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((new Notification(db.ReadId(reader, 0), db.ReadId(reader, 1), Enum.Parse<NotificationKind>(reader.GetString(2)), db.ReadId(reader, 3),
                reader.IsDBNull(4) ? null : db.ReadId(reader, 4), reader.IsDBNull(5) ? null : db.ReadId(reader, 5), Ticks(reader.GetInt64(6)),
                reader.GetInt32(7) == 1), reader.GetString(8)));
        }

        return CatalogCursor.Page(rows, size, n => n.Id);
    }

    public async Task<long> UnreadNotificationsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM catalog_notifications WHERE user_id = @user AND read = 0";
        Add(command, "user", db.IdValue(userId));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task MarkNotificationsReadAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "UPDATE catalog_notifications SET read = 1 WHERE user_id = @user AND read = 0", cancellationToken,
            c => Add(c, "user", db.IdValue(userId)));
    }
}
