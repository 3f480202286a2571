using Microsoft.Data.Sqlite;

namespace Jacameno.Storage.Sqlite;

/// <summary>
/// The embedded mode's single SQLite file: grain state, reminders and the catalog. WAL lets readers run
/// beside the one writer; the busy timeout makes concurrent writers wait instead of failing.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string connectionString;
    private readonly Lazy<Task> migrated;
    private readonly SemaphoreSlim writeSlot = new(1, 1);

    public SqliteDatabase(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        migrated = new Lazy<Task>(MigrateAsync);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        await migrated.Value;
        return await OpenRawAsync(cancellationToken);
    }

    /// <summary>
    /// Runs a write with this process's one write slot. SQLite lets one writer in at a time; a writer that
    /// finds the lock taken sleeps in its busy handler (1 to 100 ms, holding a thread), which under many small
    /// writes (every op of every open project) costs far more than waiting here, which holds nothing.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> write, CancellationToken cancellationToken = default)
    {
        await writeSlot.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            return await write(connection);
        }
        finally
        {
            writeSlot.Release();
        }
    }

    /// <summary>
    /// Copies the whole database to <paramref name="path"/> with SQLite's online backup API while the platform runs:
    /// one read transaction, so the copy is one consistent moment; writers go on (WAL) meanwhile.
    /// </summary>
    public async Task BackupToAsync(string path, CancellationToken cancellationToken = default)
    {
        await using var source = await OpenAsync(cancellationToken);
        await using var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        await target.OpenAsync(cancellationToken);
        source.BackupDatabase(target);
    }

    private async Task<SqliteConnection> OpenRawAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    private async Task MigrateAsync()
    {
        await using var connection = await OpenRawAsync(CancellationToken.None);
        await using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            await wal.ExecuteNonQueryAsync();
        }

        await SchemaMigrator.ApplyAsync(connection, "Sqlite/Migrations", takeLock: null);
    }
}
