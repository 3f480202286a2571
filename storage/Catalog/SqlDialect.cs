using System.Data.Common;
using Jacameno.Storage.Postgres;
using Jacameno.Storage.Sqlite;

namespace Jacameno.Storage.Catalog;

/// <summary>
/// What differs between the catalog's two databases, for catalogs written once in SQL both understand (times as
/// ticks, flags as integers, <c>@name</c> parameters, <c>ON CONFLICT</c>): the connection, how ids travel, and
/// full-text search over a table aliased <c>r</c>.
/// </summary>
public abstract class SqlDialect
{
    public abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>An id as a parameter value (text in SQLite, uuid in PostgreSQL).</summary>
    public abstract object IdValue(Guid id);

    public abstract Guid ReadId(DbDataReader reader, int ordinal);

    /// <summary>
    /// The FROM clause (in place of <c>{table} r</c>) and condition that keep the rows of <paramref name="table"/> matching
    /// every word as a prefix, and the relevance expression, larger for better matches. <paramref name="weights"/>
    /// weigh the indexed columns in order, where the database takes them at query time. Words are letters and digits only.
    /// </summary>
    public abstract (string From, string Where, string Rank) TextSearch(DbCommand command, string table, IReadOnlyList<string> words, IReadOnlyList<double> weights);

    /// <summary>
    /// Keeps the text index of <paramref name="table"/> in step with the row of <paramref name="id"/>: call it after
    /// the row is written, with the indexed columns and their text, or before it is deleted, with null.
    /// Nothing where the index follows the table by itself.
    /// </summary>
    public virtual Task IndexTextAsync(DbConnection connection, DbTransaction transaction, string table, Guid id,
        IReadOnlyList<(string Column, string Text)>? columns, CancellationToken cancellationToken) => Task.CompletedTask;

    public static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }

    public static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken, Action<DbCommand> parameters)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        parameters(command);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Adds the ids as parameters <c>@{prefix}0…</c> and returns the list for an <c>IN (…)</c>.</summary>
    public string InList(DbCommand command, IEnumerable<Guid> ids, string prefix = "id") => InList(command, ids.Select(IdValue).ToList(), prefix);

    public static string InList(DbCommand command, IReadOnlyList<object> values, string prefix)
    {
        var names = new List<string>();
        foreach (var (value, i) in values.Select((v, i) => (v, i)))
        {
            Add(command, $"{prefix}{i}", value);
            names.Add($"@{prefix}{i}");
        }

        return string.Join(", ", names);
    }

    public static DateTimeOffset Ticks(long ticks) => new(ticks, TimeSpan.Zero);

    /// <summary>
    /// Keyset paging over rows ordered by <paramref name="value"/> descending, then id: the condition for the rows
    /// after <paramref name="cursor"/>. Ranks and scores are <paramref name="fractional"/>; times and counts are
    /// whole (and too large for a double's precision).
    /// </summary>
    public void AddAfter(DbCommand command, List<string> filters, string value, (string SortKey, Guid Id)? cursor, bool fractional)
    {
        if (cursor is not { } c)
        {
            return;
        }

        filters.Add($"({value} < @afterValue OR ({value} = @afterValue AND r.id > @afterId))");
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        Add(command, "afterValue", fractional
            ? double.TryParse(c.SortKey, invariant, out var fraction) ? fraction : throw CatalogCursor.Invalid()
            : long.TryParse(c.SortKey, invariant, out var whole) ? whole : throw CatalogCursor.Invalid());
        Add(command, "afterId", IdValue(c.Id));
    }

    /// <summary>The parameters (<c>@afterValue</c>, <c>@afterId</c>) of a keyset cursor over a whole-number sort value (a time in ticks), when there is one.</summary>
    public void AddWholeAfter(DbCommand command, (string SortKey, Guid Id)? cursor)
    {
        if (cursor is { } c)
        {
            Add(command, "afterValue", long.TryParse(c.SortKey, System.Globalization.CultureInfo.InvariantCulture, out var whole) ? whole : throw CatalogCursor.Invalid());
            Add(command, "afterId", IdValue(c.Id));
        }
    }

    /// <summary>A sort value as a cursor keeps it: whole numbers exactly, fractions round-trip.</summary>
    public static string SortKey(object value) => value is long or int
        ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture)
        : Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>SQLite: FTS5 tables named <c>{table}_fts</c>, keyed by the rowid of the table's row, ranked by BM25.</summary>
public sealed class SqliteDialect(SqliteDatabase database) : SqlDialect
{
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenAsync(cancellationToken);

    public override object IdValue(Guid id) => id.ToString("N");

    public override Guid ReadId(DbDataReader reader, int ordinal) => Guid.ParseExact(reader.GetString(ordinal), "N");

    public override (string From, string Where, string Rank) TextSearch(DbCommand command, string table, IReadOnlyList<string> words, IReadOnlyList<double> weights)
    {
        // Each word is a quoted prefix term, so user text is never read as query syntax. BM25 is smaller for
        // better matches, so its negation ranks. CROSS JOIN makes the matches drive the join: left to itself the
        // planner walks every listed row and runs the match for each (370 ms against 3 ms at 100 000 releases).
        Add(command, "match", string.Join(' ', words.Select(w => $"\"{w}\"*")));
        var bm25 = string.Join(", ", weights.Select(w => w.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return ($"(SELECT rowid AS fts_rowid, -bm25({table}_fts, {bm25}) AS text_rank FROM {table}_fts WHERE {table}_fts MATCH @match) m " +
                $"CROSS JOIN {table} r ON r.rowid = m.fts_rowid", "1 = 1", "m.text_rank");
    }

    public override async Task IndexTextAsync(DbConnection connection, DbTransaction transaction, string table, Guid id,
        IReadOnlyList<(string Column, string Text)>? columns, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // The index row has the table row's rowid (which an upsert keeps): a lookup, not a scan.
        var rowid = $"(SELECT rowid FROM {table} WHERE id = @id)";
        command.CommandText = $"DELETE FROM {table}_fts WHERE rowid = {rowid};";
        if (columns is not null)
        {
            command.CommandText += $"INSERT INTO {table}_fts (rowid, {string.Join(", ", columns.Select(c => c.Column))}) " +
                $"VALUES ({rowid}, {string.Join(", ", columns.Select(c => "@" + c.Column))});";
            foreach (var (column, text) in columns)
            {
                Add(command, column, text);
            }
        }

        Add(command, "id", IdValue(id));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>PostgreSQL: a generated, weighted <c>search</c> tsvector column with a GIN index, ranked by <c>ts_rank</c>.</summary>
public sealed class PostgresDialect(PostgresDatabase database) : SqlDialect
{
    public override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await database.EnsureMigratedAsync(cancellationToken);
        return await database.DataSource.OpenConnectionAsync(cancellationToken);
    }

    public override object IdValue(Guid id) => id;

    public override Guid ReadId(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    public override (string From, string Where, string Rank) TextSearch(DbCommand command, string table, IReadOnlyList<string> words, IReadOnlyList<double> weights)
    {
        // Words are letters and digits only (CatalogCursor.Words), so the tsquery holds no operators of the user's.
        Add(command, "match", string.Join(" & ", words.Select(w => w + ":*")));
        return ($"{table} r CROSS JOIN to_tsquery('simple', @match) q", "r.search @@ q", "ts_rank(r.search, q)");
    }
}
