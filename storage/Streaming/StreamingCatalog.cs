using System.Data.Common;
using System.Text.Json;
using Jacameno.Storage.Catalog;
using Jacameno.Storage.Push;
using static Jacameno.Storage.Catalog.SqlDialect;

namespace Jacameno.Streaming;

/// <summary>
/// The streaming catalog in SQL that SQLite and PostgreSQL share (<see cref="SqlDialect"/>): the same tables and
/// statements in both; the dialect supplies the connection, how ids travel, and full-text search. One partial file
/// per part of the read model: releases, the social graph, comments, notifications, playlists.
/// </summary>
public sealed partial class StreamingCatalog(SqlDialect db, PushOutbox push) : IStreamingCatalog
{
    /// <summary>A catalog on its own (tests, tools): the pushes it queues wake no sender in this process.</summary>
    public StreamingCatalog(SqlDialect db) : this(db, new PushOutbox(db, TimeProvider.System))
    {
    }

    private const string Columns = "r.id, r.owner_id, r.artist, r.title, r.description, r.genre, r.tags, r.mood, r.bpm, r.musical_key, r.duration, " +
        "r.explicit, r.has_artwork, r.listed, r.release_at, r.created_at, r.plays, r.likes, r.reposts, r.comments, r.trend";

    /// <summary>Whom others may see: listed and out.</summary>
    private const string Visible = "r.listed = 1 AND r.release_at <= @now";

    /// <summary>Text search weights: title, artist, tags, description.</summary>
    private static readonly double[] TextWeights = [10, 5, 3, 1];

    private async Task<bool> SetRelationAsync(string table, string fromColumn, string toColumn, Guid from, Guid to, bool set, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        var changed = await ExecuteAsync(connection, null, set
                ? $"INSERT INTO {table} ({fromColumn}, {toColumn}, created_at) VALUES (@from, @to, @at) ON CONFLICT DO NOTHING"
                : $"DELETE FROM {table} WHERE {fromColumn} = @from AND {toColumn} = @to",
            cancellationToken, c =>
            {
                Add(c, "from", db.IdValue(from));
                Add(c, "to", db.IdValue(to));
                Add(c, "at", at.UtcTicks);
            });
        return changed > 0;
    }

    private async Task<List<ReleaseSummary>> ReadAllAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var found = new List<ReleaseSummary>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            found.Add(ReadRelease(reader));
        }

        return found;
    }

    private async Task<CatalogPage<ReleaseSummary>> ReadPageAsync(DbCommand command, int size, Func<ReleaseSummary, string> sortKey, CancellationToken cancellationToken)
    {
        var rows = (await ReadAllAsync(command, cancellationToken)).Select(r => (r, sortKey(r))).ToList();
        return CatalogCursor.Page(rows, size, r => r.Id);
    }

    private ReleaseSummary ReadRelease(DbDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        double? Number(int i) => reader.IsDBNull(i) ? null : reader.GetDouble(i);
        return new ReleaseSummary(db.ReadId(reader, 0), db.ReadId(reader, 1), reader.GetString(2), reader.GetString(3), Text(4), Text(5),
            JsonSerializer.Deserialize<string[]>(reader.GetString(6)) ?? [], Text(7), Number(8), Text(9), Number(10),
            reader.GetInt32(11) == 1, reader.GetInt32(12) == 1, reader.GetInt32(13) == 1, Ticks(reader.GetInt64(14)), Ticks(reader.GetInt64(15)),
            reader.GetInt64(16), reader.GetInt64(17), reader.GetInt64(18), reader.GetInt64(19), reader.GetDouble(20));
    }

    private ReleaseComment ReadComment(DbDataReader reader) =>
        new(db.ReadId(reader, 0), db.ReadId(reader, 1), db.ReadId(reader, 2), reader.IsDBNull(3) ? null : db.ReadId(reader, 3), reader.GetDouble(4),
            reader.GetString(5), Ticks(reader.GetInt64(6)));
}
