using Jacameno.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Orleans.Serialization.Serializers;
using Orleans.Storage;


namespace Jacameno.Hosting;

/// <summary>
/// Grain state in SQLite: JSON payloads (the silo's grain storage serializer), optimistic concurrency by
/// ETag. A write with a stale ETag, or an insert over an existing row, fails with
/// <see cref="InconsistentStateException"/> and changes nothing.
/// </summary>
public sealed class SqliteGrainStorage(
    string providerName,
    SqliteDatabase database,
    IGrainStorageSerializer serializer,
    IActivatorProvider activators) : IGrainStorage
{
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await database.OpenAsync();
        await using var command = Command(connection,
            "SELECT etag, payload FROM grain_state WHERE provider = @p AND state_name = @s AND grain_id = @g", stateName, grainId);
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.ETag = reader.GetString(0);
            grainState.State = serializer.Deserialize<T>(new BinaryData((byte[])reader[1]));
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.State = activators.GetActivator<T>().Create();
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var newETag = Guid.NewGuid().ToString("N");
        var payload = serializer.Serialize(grainState.State).ToArray();
        var written = await database.WriteAsync(async connection =>
        {
            await using var command = Command(connection, grainState.ETag is null
                    ? """
                      INSERT INTO grain_state (provider, state_name, grain_id, etag, payload, updated_at)
                      VALUES (@p, @s, @g, @new, @payload, @now) ON CONFLICT DO NOTHING
                      """
                    : """
                      UPDATE grain_state SET etag = @new, payload = @payload, updated_at = @now
                      WHERE provider = @p AND state_name = @s AND grain_id = @g AND etag = @old
                      """,
                stateName, grainId);
            command.Parameters.AddWithValue("@new", newETag);
            command.Parameters.AddWithValue("@old", (object?)grainState.ETag ?? DBNull.Value);
            command.Parameters.AddWithValue("@payload", payload);
            command.Parameters.AddWithValue("@now", DateTimeOffset.UtcNow.ToString("O"));
            return await command.ExecuteNonQueryAsync();
        });
        if (written != 1)
        {
            throw new InconsistentStateException(
                $"Stale write of {stateName} for {grainId} in storage {providerName}.", "(stored)", grainState.ETag ?? "(none)");
        }

        grainState.ETag = newETag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var deleted = await database.WriteAsync(async connection =>
        {
            await using var command = Command(connection,
                "DELETE FROM grain_state WHERE provider = @p AND state_name = @s AND grain_id = @g AND etag = @old", stateName, grainId);
            command.Parameters.AddWithValue("@old", (object?)grainState.ETag ?? DBNull.Value);
            return await command.ExecuteNonQueryAsync();
        });
        if (deleted != 1 && grainState.ETag is not null)
        {
            throw new InconsistentStateException(
                $"Stale clear of {stateName} for {grainId} in storage {providerName}.", "(stored)", grainState.ETag);
        }

        grainState.ETag = null;
        grainState.State = activators.GetActivator<T>().Create();
        grainState.RecordExists = false;
    }

    private SqliteCommand Command(SqliteConnection connection, string sql, string stateName, GrainId grainId)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@p", providerName);
        command.Parameters.AddWithValue("@s", stateName);
        command.Parameters.AddWithValue("@g", grainId.ToString());
        return command;
    }
}
