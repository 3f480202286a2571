using System.Globalization;
using System.Text.Json;
using Jacameno.Storage.Catalog;
using static Jacameno.Storage.Catalog.SqlDialect;

namespace Jacameno.Streaming;

// The catalog's the releases: writing the read model, search, genres, related (StreamingCatalog.cs has the shared readers).
public sealed partial class StreamingCatalog
{
    public async Task UpsertReleaseAsync(ReleaseSummary release, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, """
            INSERT INTO catalog_releases (id, owner_id, artist, title, description, genre, tags, mood, bpm, musical_key, duration, explicit,
                has_artwork, listed, release_at, created_at, plays, likes, reposts, comments, trend)
            VALUES (@id, @owner, @artist, @title, @description, @genre, @tags, @mood, @bpm, @key, @duration, @explicit,
                @artwork, @listed, @releaseAt, @createdAt, @plays, @likes, @reposts, @comments, @trend)
            ON CONFLICT (id) DO UPDATE SET artist = excluded.artist, title = excluded.title, description = excluded.description,
                genre = excluded.genre, tags = excluded.tags, mood = excluded.mood, bpm = excluded.bpm, musical_key = excluded.musical_key,
                duration = excluded.duration, explicit = excluded.explicit, has_artwork = excluded.has_artwork, listed = excluded.listed,
                release_at = excluded.release_at, plays = excluded.plays, likes = excluded.likes, reposts = excluded.reposts,
                comments = excluded.comments, trend = excluded.trend;
            DELETE FROM catalog_release_tags WHERE release_id = @id;
            """, cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(release.Id));
            Add(c, "owner", db.IdValue(release.OwnerId));
            Add(c, "artist", release.Artist);
            Add(c, "title", release.Title);
            Add(c, "description", release.Description);
            Add(c, "genre", release.Genre);
            Add(c, "tags", JsonSerializer.Serialize(release.Tags));
            Add(c, "mood", release.Mood);
            Add(c, "bpm", release.Bpm);
            Add(c, "key", release.Key);
            Add(c, "duration", release.DurationSeconds);
            Add(c, "explicit", release.Explicit ? 1 : 0);
            Add(c, "artwork", release.HasArtwork ? 1 : 0);
            Add(c, "listed", release.Listed ? 1 : 0);
            Add(c, "releaseAt", release.ReleaseAt.UtcTicks);
            Add(c, "createdAt", release.CreatedAt.UtcTicks);
            Add(c, "plays", release.Plays);
            Add(c, "likes", release.Likes);
            Add(c, "reposts", release.Reposts);
            Add(c, "comments", release.Comments);
            Add(c, "trend", release.Trend);
        });
        foreach (var tag in release.Tags)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO catalog_release_tags (tag, release_id) VALUES (@tag, @id) ON CONFLICT DO NOTHING",
                cancellationToken, c =>
                {
                    Add(c, "tag", tag);
                    Add(c, "id", db.IdValue(release.Id));
                });
        }

        await db.IndexTextAsync(connection, transaction, "catalog_releases", release.Id,
            [("title", release.Title), ("artist", release.Artist), ("tags", string.Join(' ', release.Tags)), ("description", release.Description ?? "")], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task UpdateReleaseStatsAsync(Guid releaseId, long plays, long likes, long reposts, long comments, double trend, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null,
            "UPDATE catalog_releases SET plays = @plays, likes = @likes, reposts = @reposts, comments = @comments, trend = @trend WHERE id = @id",
            cancellationToken, c =>
            {
                Add(c, "id", db.IdValue(releaseId));
                Add(c, "plays", plays);
                Add(c, "likes", likes);
                Add(c, "reposts", reposts);
                Add(c, "comments", comments);
                Add(c, "trend", trend);
            });
    }

    public async Task DeleteReleaseAsync(Guid releaseId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await db.IndexTextAsync(connection, transaction, "catalog_releases", releaseId, null, cancellationToken);
        await ExecuteAsync(connection, transaction, """
            DELETE FROM catalog_releases WHERE id = @id;
            DELETE FROM catalog_release_tags WHERE release_id = @id;
            DELETE FROM catalog_likes WHERE release_id = @id;
            DELETE FROM catalog_reposts WHERE release_id = @id;
            DELETE FROM catalog_comments WHERE release_id = @id;
            """, cancellationToken, c => Add(c, "id", db.IdValue(releaseId)));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<CatalogPage<ReleaseSummary>> SearchReleasesAsync(ReleaseQuery query, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(query.First);
        var cursor = CatalogCursor.Decode(query.After);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var words = CatalogCursor.Words(query.Text);
        var (from, filters) = ("catalog_releases r", new List<string> { Visible });
        var sort = query.Sort == ReleaseSort.Relevance && words.Count == 0 ? ReleaseSort.New : query.Sort;
        var value = sort switch { ReleaseSort.Trending => "r.trend", ReleaseSort.Top => "r.plays", _ => "r.release_at" };
        if (words.Count > 0)
        {
            var (textFrom, textWhere, rank) = db.TextSearch(command, "catalog_releases", words, TextWeights);
            from = textFrom;
            filters.Add(textWhere);
            value = sort == ReleaseSort.Relevance ? rank : value;
        }

        if (query.Genre is not null)
        {
            filters.Add("r.genre = @genre");
            Add(command, "genre", query.Genre);
        }

        if (query.Tag is not null)
        {
            filters.Add("r.id IN (SELECT release_id FROM catalog_release_tags WHERE tag = @tag)");
            Add(command, "tag", query.Tag);
        }

        if (query.BpmMin is { } min)
        {
            filters.Add("r.bpm >= @bpmMin");
            Add(command, "bpmMin", min);
        }

        if (query.BpmMax is { } max)
        {
            filters.Add("r.bpm <= @bpmMax");
            Add(command, "bpmMax", max);
        }

        if (query.Key is not null)
        {
            filters.Add("r.musical_key = @key");
            Add(command, "key", query.Key);
        }

        if (query.OwnerId is { } owner)
        {
            filters.Add("r.owner_id = @owner");
            Add(command, "owner", db.IdValue(owner));
        }

        db.AddAfter(command, filters, value, cursor, fractional: sort is ReleaseSort.Relevance or ReleaseSort.Trending);
        Add(command, "now", now.UtcTicks);
        Add(command, "limit", size + 1);
        command.CommandText = $"""
            SELECT {Columns}, {value} FROM {from}
            WHERE {string.Join(" AND ", filters)}
            ORDER BY {value} DESC, r.id LIMIT @limit
            """;
        var rows = new List<(ReleaseSummary, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((ReadRelease(reader), SortKey(reader.GetValue(21))));
        }

        return CatalogCursor.Page(rows, size, r => r.Id);
    }

    public async Task<IReadOnlyList<(string Genre, long Releases)>> GenresAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT r.genre, COUNT(*) FROM catalog_releases r WHERE {Visible} AND r.genre IS NOT NULL
            GROUP BY r.genre ORDER BY COUNT(*) DESC, r.genre LIMIT @limit
            """;
        Add(command, "now", now.UtcTicks);
        Add(command, "limit", limit);
        var genres = new List<(string, long)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            genres.Add((reader.GetString(0), reader.GetInt64(1)));
        }

        return genres;
    }

    public async Task<CatalogPage<ReleaseSummary>> ListOwnReleasesAsync(Guid ownerId, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM catalog_releases r
            WHERE r.owner_id = @owner {(cursor is null ? "" : "AND (r.created_at < @afterValue OR (r.created_at = @afterValue AND r.id > @afterId))")}
            ORDER BY r.created_at DESC, r.id LIMIT @limit
            """;
        Add(command, "owner", db.IdValue(ownerId));
        db.AddWholeAfter(command, cursor);
        Add(command, "limit", size + 1);
        return await ReadPageAsync(command, size, r => r.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), cancellationToken);
    }

    public async Task<IReadOnlyList<ReleaseSummary>> GetReleasesAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default)
    {
        if (ids.Count == 0)
        {
            return [];
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM catalog_releases r WHERE r.id IN ({db.InList(command, ids)})";
        var found = await ReadAllAsync(command, cancellationToken);
        var byId = found.ToDictionary(r => r.Id);
        return [.. ids.Where(byId.ContainsKey).Select(id => byId[id])];
    }

    public async Task<IReadOnlyList<ReleaseSummary>> RelatedAsync(ReleaseSummary release, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        // Candidates: the same genre, a shared tag, or liked by someone who liked this one; scored here.
        var coLikes = new Dictionary<Guid, long>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = """
                SELECT b.release_id, COUNT(*) FROM catalog_likes a JOIN catalog_likes b ON b.user_id = a.user_id
                WHERE a.release_id = @id AND b.release_id <> @id GROUP BY b.release_id ORDER BY COUNT(*) DESC LIMIT 200
                """;
            Add(command, "id", db.IdValue(release.Id));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                coLikes[db.ReadId(reader, 0)] = reader.GetInt64(1);
            }
        }

        await using var candidates = connection.CreateCommand();
        var alternatives = new List<string>();
        if (release.Genre is not null)
        {
            alternatives.Add("r.genre = @genre");
            Add(candidates, "genre", release.Genre);
        }

        if (release.Tags.Count > 0)
        {
            alternatives.Add($"r.id IN (SELECT release_id FROM catalog_release_tags WHERE tag IN ({InList(candidates, release.Tags.Select(t => (object)t).ToList(), "tag")}))");
        }

        if (coLikes.Count > 0)
        {
            alternatives.Add($"r.id IN ({db.InList(candidates, coLikes.Keys, "liked")})");
        }

        if (alternatives.Count == 0)
        {
            return [];
        }

        candidates.CommandText = $"""
            SELECT {Columns} FROM catalog_releases r
            WHERE {Visible} AND r.id <> @id AND ({string.Join(" OR ", alternatives)})
            ORDER BY r.trend DESC LIMIT 300
            """;
        Add(candidates, "id", db.IdValue(release.Id));
        Add(candidates, "now", now.UtcTicks);
        var found = await ReadAllAsync(candidates, cancellationToken);
        double Score(ReleaseSummary other)
        {
            var score = 2.0 * other.Tags.Intersect(release.Tags).Count();
            score += other.Genre is not null && other.Genre == release.Genre ? 3 : 0;
            score += release.Bpm is { } a && other.Bpm is { } b ? Math.Max(0, 1 - (Math.Abs(a - b) / 20)) : 0;
            score += other.Key is not null && other.Key == release.Key ? 1 : 0;
            return score + (1.5 * Math.Log2(1 + coLikes.GetValueOrDefault(other.Id)));
        }

        return [.. found.OrderByDescending(Score).ThenByDescending(r => r.Trend).Take(limit)];
    }
}
