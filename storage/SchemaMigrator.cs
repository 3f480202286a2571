using System.Data.Common;
using System.Reflection;

namespace Jacameno.Storage;

/// <summary>
/// Versioned, idempotent schema migrations shipped as embedded <c>NNNN_name.sql</c> files, one folder per
/// database. Each runs once, in order, inside one transaction that holds the database's migration lock,
/// so two processes starting at once apply each script exactly once.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>The scripts under <paramref name="folder"/> (e.g. <c>Postgres/Migrations</c>), ordered by version.</summary>
    public static IReadOnlyList<(int Version, string Name, string Sql)> Scripts(string folder)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = folder.TrimEnd('/') + "/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..];
                return (Version: int.Parse(file[..4], System.Globalization.CultureInfo.InvariantCulture), Name: file, Sql: Read(assembly, n));
            })
            .OrderBy(s => s.Version)
            .ToList();
    }

    /// <summary>
    /// Applies what is missing. <paramref name="takeLock"/> runs first inside the transaction
    /// (PostgreSQL: an advisory transaction lock; SQLite: nothing, the write transaction is the lock).
    /// Returns the versions applied now.
    /// </summary>
    public static async Task<IReadOnlyList<int>> ApplyAsync(
        DbConnection connection, string folder, string? takeLock, CancellationToken cancellationToken = default)
    {
        var applied = new List<int>();
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (takeLock is not null)
        {
            await ExecuteAsync(connection, transaction, takeLock, cancellationToken);
        }

        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)",
            cancellationToken);
        var done = new HashSet<int>();
        await using (var read = connection.CreateCommand())
        {
            read.Transaction = transaction;
            read.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                done.Add(reader.GetInt32(0));
            }
        }

        foreach (var (version, name, sql) in Scripts(folder).Where(s => !done.Contains(s.Version)))
        {
            await ExecuteAsync(connection, transaction, sql, cancellationToken);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)";
            AddParameter(record, "v", version);
            AddParameter(record, "n", name);
            AddParameter(record, "t", DateTimeOffset.UtcNow.ToString("O"));
            await record.ExecuteNonQueryAsync(cancellationToken);
            applied.Add(version);
        }

        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
