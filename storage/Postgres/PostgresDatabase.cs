using System.Data.Common;
using Npgsql;

namespace Jacameno.Storage.Postgres;

/// <summary>The cluster's PostgreSQL: Orleans grain state and reminders, and the catalog.</summary>
public sealed class PostgresDatabase(NpgsqlDataSource dataSource) : IAsyncDisposable
{
    // Any fixed number; every process migrating the same database takes the same lock.
    private const long MigrationLockKey = 0x4A6163616D656E6F;

    private readonly SemaphoreSlim gate = new(1, 1);
    private bool migrated;

    public NpgsqlDataSource DataSource => dataSource;

    /// <summary>
    /// A data source for the connection string, with two defaults changed where the string does not set them:
    /// statements used often are prepared on the server (the op log's insert runs on every edit; parsing and
    /// planning it each time cost PostgreSQL more than running it), and a connection going back to the pool is
    /// not reset: a reset is a statement of its own (DISCARD ALL) before the next command, and nothing here
    /// leaves session state behind (the migration lock is a transaction lock).
    /// </summary>
    public static PostgresDatabase Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        // Npgsql's own builder reports every keyword it knows as present; the plain one lists what was written.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>()
            .Select(key => key.Replace(" ", "", StringComparison.Ordinal)).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (!given.Contains("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }

        if (!given.Contains("NoResetOnClose"))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        return new(builder.Build());
    }

    /// <summary>Applies missing migrations; safe to run from many processes at once. Returns the versions applied now.</summary>
    public async Task<IReadOnlyList<int>> MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var applied = await SchemaMigrator.ApplyAsync(connection, "Postgres/Migrations",
            $"SELECT pg_advisory_xact_lock({MigrationLockKey})", cancellationToken);
        migrated = true;
        return applied;
    }

    /// <summary>Migrates once per process; a failed attempt (database not up yet) is tried again on the next call.</summary>
    public async ValueTask EnsureMigratedAsync(CancellationToken cancellationToken = default)
    {
        if (migrated)
        {
            return;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!migrated)
            {
                await MigrateAsync(cancellationToken);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        gate.Dispose();
        await dataSource.DisposeAsync();
    }
}
