using Jacameno.Storage.Catalog;
using static Jacameno.Storage.Catalog.SqlDialect;

namespace Jacameno.Streaming;

// The catalog's playlists (StreamingCatalog.cs has the shared readers).
public sealed partial class StreamingCatalog
{
    public async Task UpsertPlaylistAsync(PlaylistSummary playlist, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO catalog_playlists (id, owner_id, title, sort_key, is_public, item_count, updated_at)
            VALUES (@id, @owner, @title, @key, @public, @count, @updated)
            ON CONFLICT (id) DO UPDATE SET title = excluded.title, sort_key = excluded.sort_key, is_public = excluded.is_public,
                item_count = excluded.item_count, updated_at = excluded.updated_at
            """, cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(playlist.Id));
            Add(c, "owner", db.IdValue(playlist.OwnerId));
            Add(c, "title", playlist.Title);
            Add(c, "key", playlist.Title.ToLowerInvariant());
            Add(c, "public", playlist.IsPublic ? 1 : 0);
            Add(c, "count", playlist.Count);
            Add(c, "updated", playlist.UpdatedAt.UtcTicks);
        });
    }

    public async Task DeletePlaylistAsync(Guid playlistId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "DELETE FROM catalog_playlists WHERE id = @id", cancellationToken, c => Add(c, "id", db.IdValue(playlistId)));
    }

    public async Task<CatalogPage<PlaylistSummary>> ListPlaylistsAsync(Guid ownerId, bool includePrivate, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, owner_id, title, is_public, item_count, updated_at, sort_key FROM catalog_playlists
            WHERE owner_id = @owner {(includePrivate ? "" : "AND is_public = 1")}
              {(cursor is null ? "" : "AND (sort_key > @afterKey OR (sort_key = @afterKey AND id > @afterId))")}
            ORDER BY sort_key, id LIMIT @limit
            """;
        Add(command, "owner", db.IdValue(ownerId));
        if (cursor is { } c)
        {
            Add(command, "afterKey", c.SortKey);
            Add(command, "afterId", db.IdValue(c.Id));
        }

        Add(command, "limit", size + 1);
        var rows = new List<(PlaylistSummary, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((new PlaylistSummary(db.ReadId(reader, 0), db.ReadId(reader, 1), reader.GetString(2), reader.GetInt32(3) == 1, reader.GetInt32(4),
                Ticks(reader.GetInt64(5))), reader.GetString(6)));
        }

        return CatalogCursor.Page(rows, size, p => p.Id);
    }
}
