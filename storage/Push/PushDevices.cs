using System.Data.Common;
using System.Globalization;
using Jacameno.Push;
using Jacameno.Storage.Catalog;
using static Jacameno.Storage.Catalog.SqlDialect;

namespace Jacameno.Storage.Push;

/// <summary>Devices (<c>push_devices</c>) and choices (<c>push_preferences</c>), in SQL both databases share.</summary>
public sealed class PushDevices(SqlDialect db) : IPushDevices
{
    private const string Columns = "id, user_id, kind, name, address, p256dh, auth, created_at, session_id";

    public async Task<PushDevice?> RegisterAsync(PushDevice device, int max, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var existing = await ReadAsync(connection, transaction, "kind = @kind AND address = @address", cancellationToken, c =>
        {
            Add(c, "kind", device.Kind.ToString());
            Add(c, "address", device.Address);
        });
        if (existing.Count == 0 && await CountAsync(connection, transaction, device.UserId, cancellationToken) >= max)
        {
            return null;
        }

        var id = existing.Count == 0 ? device.Id : existing[0].Id;
        if (existing.Count > 0 && existing[0].UserId != device.UserId)
        {
            // The device changes hands: what was waiting for its former account is not for this one.
            await ExecuteAsync(connection, transaction, "DELETE FROM push_outbox WHERE device_id = @id", cancellationToken, c => Add(c, "id", db.IdValue(id)));
        }

        await ExecuteAsync(connection, transaction, """
            INSERT INTO push_devices (id, user_id, kind, name, address, p256dh, auth, created_at, session_id)
            VALUES (@id, @user, @kind, @name, @address, @p256dh, @auth, @created, @session)
            ON CONFLICT (kind, address) DO UPDATE SET user_id = excluded.user_id, name = excluded.name, p256dh = excluded.p256dh, auth = excluded.auth,
                session_id = excluded.session_id
            """, cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(id));
            Add(c, "user", db.IdValue(device.UserId));
            Add(c, "kind", device.Kind.ToString());
            Add(c, "name", device.Name);
            Add(c, "address", device.Address);
            Add(c, "p256dh", device.P256dh);
            Add(c, "auth", device.Auth);
            Add(c, "created", device.CreatedAt.UtcTicks);
            Add(c, "session", device.SessionId is { } session ? db.IdValue(session) : null);
        });
        await transaction.CommitAsync(cancellationToken);
        return device with { Id = id, CreatedAt = existing.Count == 0 ? device.CreatedAt : existing[0].CreatedAt };
    }

    public async Task<IReadOnlyList<PushDevice>> ListAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return [.. (await ReadAsync(connection, null, "user_id = @user", cancellationToken, c => Add(c, "user", db.IdValue(userId)))).OrderBy(d => d.CreatedAt)];
    }

    public async Task<IReadOnlyDictionary<Guid, PushDevice>> GetAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return new Dictionary<Guid, PushDevice>();
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM push_devices WHERE id IN ({db.InList(command, ids)})";
        return (await ReadAsync(command, cancellationToken)).ToDictionary(d => d.Id);
    }

    public async Task<bool> RemoveAsync(Guid id, Guid? userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var removed = await ExecuteAsync(connection, transaction, $"DELETE FROM push_devices WHERE id = @id{(userId is null ? "" : " AND user_id = @user")}", cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(id));
            if (userId is { } user)
            {
                Add(c, "user", db.IdValue(user));
            }
        });
        if (removed > 0)
        {
            await ExecuteAsync(connection, transaction, "DELETE FROM push_outbox WHERE device_id = @id", cancellationToken, c => Add(c, "id", db.IdValue(id)));
        }

        await transaction.CommitAsync(cancellationToken);
        return removed > 0;
    }

    public async Task RemoveSessionAsync(Guid userId, Guid sessionId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        Action<DbCommand> parameters = c =>
        {
            Add(c, "user", db.IdValue(userId));
            Add(c, "session", db.IdValue(sessionId));
        };
        await ExecuteAsync(connection, transaction,
            "DELETE FROM push_outbox WHERE device_id IN (SELECT id FROM push_devices WHERE user_id = @user AND session_id = @session)", cancellationToken, parameters);
        await ExecuteAsync(connection, transaction, "DELETE FROM push_devices WHERE user_id = @user AND session_id = @session", cancellationToken, parameters);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyDictionary<PushTopic, bool>> GetPreferencesAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var topics = PushTopics.All.ToDictionary(t => t, PushTopics.OnByDefault);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT topic, enabled FROM push_preferences WHERE user_id = @user";
        Add(command, "user", db.IdValue(userId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (Enum.TryParse<PushTopic>(reader.GetString(0), out var topic))
            {
                topics[topic] = reader.GetInt32(1) == 1;
            }
        }

        return topics;
    }

    public async Task SetPreferencesAsync(Guid userId, IReadOnlyDictionary<PushTopic, bool> topics, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var (topic, enabled) in topics)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO push_preferences (user_id, topic, enabled) VALUES (@user, @topic, @enabled)
                ON CONFLICT (user_id, topic) DO UPDATE SET enabled = excluded.enabled
                """, cancellationToken, c =>
            {
                Add(c, "user", db.IdValue(userId));
                Add(c, "topic", topic.ToString());
                Add(c, "enabled", enabled ? 1 : 0);
            });
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var table in new[] { "push_outbox", "push_devices", "push_preferences" })
        {
            await ExecuteAsync(connection, transaction, $"DELETE FROM {table} WHERE user_id = @user", cancellationToken, c => Add(c, "user", db.IdValue(userId)));
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<int> CountAsync(DbConnection connection, DbTransaction transaction, Guid userId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM push_devices WHERE user_id = @user";
        Add(command, "user", db.IdValue(userId));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    private async Task<List<PushDevice>> ReadAsync(DbConnection connection, DbTransaction? transaction, string where, CancellationToken cancellationToken, Action<DbCommand> parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT {Columns} FROM push_devices WHERE {where}";
        parameters(command);
        return await ReadAsync(command, cancellationToken);
    }

    private async Task<List<PushDevice>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var devices = new List<PushDevice>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            devices.Add(new PushDevice(db.ReadId(reader, 0), db.ReadId(reader, 1), Enum.Parse<PushDeviceKind>(reader.GetString(2)), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), Ticks(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : db.ReadId(reader, 8)));
        }

        return devices;
    }
}
