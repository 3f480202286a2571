using Jacameno.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Orleans.Configuration;


namespace Jacameno.Hosting;

/// <summary>Orleans reminders in the embedded SQLite file, so they survive a restart like grain state.</summary>
public sealed class SqliteReminderTable(SqliteDatabase database, IOptions<ClusterOptions> cluster) : IReminderTable
{
    private readonly string serviceId = cluster.Value.ServiceId;

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task<ReminderTableData> ReadRows(GrainId grainId) => ReadRows(grainId, CancellationToken.None);

    public Task<ReminderTableData> ReadRows(GrainId grainId, CancellationToken cancellationToken) =>
        QueryAsync("grain_id = @g", c => c.Parameters.AddWithValue("@g", grainId.ToString()), cancellationToken);

    public Task<ReminderTableData> ReadRows(uint begin, uint end) => ReadRows(begin, end, CancellationToken.None);

    // The ring range (begin, end] wraps around when begin >= end.
    public Task<ReminderTableData> ReadRows(uint begin, uint end, CancellationToken cancellationToken) =>
        QueryAsync(begin < end ? "grain_hash > @b AND grain_hash <= @e" : "(grain_hash > @b OR grain_hash <= @e)",
            c =>
            {
                c.Parameters.AddWithValue("@b", (long)begin);
                c.Parameters.AddWithValue("@e", (long)end);
            },
            cancellationToken);

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) => ReadRow(grainId, reminderName, CancellationToken.None);

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync("grain_id = @g AND reminder_name = @n",
            c =>
            {
                c.Parameters.AddWithValue("@g", grainId.ToString());
                c.Parameters.AddWithValue("@n", reminderName);
            },
            cancellationToken);
        return rows.Reminders.FirstOrDefault();
    }

    public Task<string?> UpsertRow(ReminderEntry entry) => UpsertRow(entry, CancellationToken.None);

    public async Task<string?> UpsertRow(ReminderEntry entry, CancellationToken cancellationToken)
    {
        var etag = Guid.NewGuid().ToString("N");
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO reminders (service_id, grain_id, reminder_name, grain_hash, start_ticks, period_ticks, etag)
            VALUES (@s, @g, @n, @h, @start, @period, @etag)
            ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE SET
                start_ticks = excluded.start_ticks, period_ticks = excluded.period_ticks, etag = excluded.etag
            """;
        command.Parameters.AddWithValue("@s", serviceId);
        command.Parameters.AddWithValue("@g", entry.GrainId.ToString());
        command.Parameters.AddWithValue("@n", entry.ReminderName);
        command.Parameters.AddWithValue("@h", (long)entry.GrainId.GetUniformHashCode());
        command.Parameters.AddWithValue("@start", entry.StartAt.ToUniversalTime().Ticks);
        command.Parameters.AddWithValue("@period", entry.Period.Ticks);
        command.Parameters.AddWithValue("@etag", etag);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return etag;
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) => RemoveRow(grainId, reminderName, eTag, CancellationToken.None);

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM reminders WHERE service_id = @s AND grain_id = @g AND reminder_name = @n AND etag = @etag";
        command.Parameters.AddWithValue("@s", serviceId);
        command.Parameters.AddWithValue("@g", grainId.ToString());
        command.Parameters.AddWithValue("@n", reminderName);
        command.Parameters.AddWithValue("@etag", eTag);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public Task TestOnlyClearTable() => TestOnlyClearTable(CancellationToken.None);

    public async Task TestOnlyClearTable(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM reminders WHERE service_id = @s";
        command.Parameters.AddWithValue("@s", serviceId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<ReminderTableData> QueryAsync(string where, Action<SqliteCommand> bind, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT grain_id, reminder_name, start_ticks, period_ticks, etag FROM reminders WHERE service_id = @s AND {where}";
        command.Parameters.AddWithValue("@s", serviceId);
        bind(command);
        var entries = new List<ReminderEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetString(4),
            });
        }

        return new ReminderTableData(entries);
    }
}
