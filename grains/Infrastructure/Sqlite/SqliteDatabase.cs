using Microsoft.Data.Sqlite;

namespace Jacameno.Infrastructure.Sqlite;

/// <summary>
/// The embedded mode's single SQLite file: grain state, reminders and the catalog. WAL lets readers run
/// beside the one writer; the busy timeout makes concurrent writers wait instead of failing.
/// </summary>
public sealed class SqliteDatabase
{
    private readonly string connectionString;
    private readonly Lazy<Task> migrated;

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
