using System.Data.Common;
using Jacameno.Infrastructure.Sqlite;

namespace Jacameno.Streaming;

/// <summary>The streaming catalog in the embedded SQLite file; text search through an FTS5 table ranked by BM25.</summary>
public sealed class SqliteStreamingCatalog(SqliteDatabase database) : StreamingCatalog
{
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await database.OpenAsync(cancellationToken);

    protected override object IdValue(Guid id) => id.ToString("N");

    protected override Guid ReadId(DbDataReader reader, int ordinal) => Guid.ParseExact(reader.GetString(ordinal), "N");

    protected override (string Join, string Where, string Rank) TextSearch(DbCommand command, IReadOnlyList<string> words)
    {
        // Each word is a quoted prefix term, so user text is never read as query syntax. BM25 is smaller for better
        // matches, so its negation ranks; title weighs most, then artist, tags, description.
        Add(command, "match", string.Join(' ', words.Select(w => $"\"{w}\"*")));
        return ("JOIN (SELECT rowid AS fts_rowid, -bm25(catalog_releases_fts, 10, 5, 3, 1) AS text_rank FROM catalog_releases_fts " +
                "WHERE catalog_releases_fts MATCH @match) m ON m.fts_rowid = r.rowid", "1 = 1", "m.text_rank");
    }

    protected override async Task IndexTextAsync(DbConnection connection, DbTransaction transaction, ReleaseSummary release, bool delete, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        // The index row has the release row's rowid (which an upsert keeps).
        const string rowid = "(SELECT rowid FROM catalog_releases WHERE id = @id)";
        command.CommandText = $"DELETE FROM catalog_releases_fts WHERE rowid = {rowid};" + (delete ? "" :
            $"INSERT INTO catalog_releases_fts (rowid, title, artist, tags, description) VALUES ({rowid}, @title, @artist, @tags, @description);");
        Add(command, "id", IdValue(release.Id));
        Add(command, "title", release.Title);
        Add(command, "artist", release.Artist);
        Add(command, "tags", string.Join(' ', release.Tags));
        Add(command, "description", release.Description ?? "");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
