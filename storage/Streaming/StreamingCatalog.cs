using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Jacameno.Storage.Catalog;
using static Jacameno.Storage.Catalog.SqlDialect;

namespace Jacameno.Streaming;

/// <summary>
/// The streaming catalog in SQL that SQLite and PostgreSQL share (<see cref="SqlDialect"/>): the same tables and
/// statements in both; the dialect supplies the connection, how ids travel, and full-text search.
/// </summary>
public sealed class StreamingCatalog(SqlDialect db) : IStreamingCatalog
{
    private const string Columns = "r.id, r.owner_id, r.artist, r.title, r.description, r.genre, r.tags, r.mood, r.bpm, r.musical_key, r.duration, " +
        "r.explicit, r.has_artwork, r.listed, r.release_at, r.created_at, r.plays, r.likes, r.reposts, r.comments, r.trend";

    /// <summary>Whom others may see: listed and out.</summary>
    private const string Visible = "r.listed = 1 AND r.release_at <= @now";

    /// <summary>Text search weights: title, artist, tags, description.</summary>
    private static readonly double[] TextWeights = [10, 5, 3, 1];

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

    public Task<bool> SetLikeAsync(Guid userId, Guid releaseId, bool like, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        SetRelationAsync("catalog_likes", "user_id", "release_id", userId, releaseId, like, at, cancellationToken);

    public Task<bool> SetRepostAsync(Guid userId, Guid releaseId, bool repost, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        SetRelationAsync("catalog_reposts", "user_id", "release_id", userId, releaseId, repost, at, cancellationToken);

    public Task<bool> SetFollowAsync(Guid followerId, Guid followeeId, bool follow, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        SetRelationAsync("catalog_follows", "follower_id", "followee_id", followerId, followeeId, follow, at, cancellationToken);

    public async Task<(IReadOnlySet<Guid> Liked, IReadOnlySet<Guid> Reposted)> MarksAsync(Guid userId, IReadOnlyCollection<Guid> releaseIds, CancellationToken cancellationToken = default)
    {
        var (liked, reposted) = (new HashSet<Guid>(), new HashSet<Guid>());
        if (releaseIds.Count == 0)
        {
            return (liked, reposted);
        }

        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var ids = db.InList(command, releaseIds);
        command.CommandText = $"""
            SELECT release_id, 0 FROM catalog_likes WHERE user_id = @user AND release_id IN ({ids})
            UNION ALL SELECT release_id, 1 FROM catalog_reposts WHERE user_id = @user AND release_id IN ({ids})
            """;
        Add(command, "user", db.IdValue(userId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            (reader.GetInt32(1) == 0 ? liked : reposted).Add(db.ReadId(reader, 0));
        }

        return (liked, reposted);
    }

    public async Task<CatalogPage<ReleaseSummary>> LikedAsync(Guid userId, DateTimeOffset now, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns}, l.created_at FROM catalog_likes l JOIN catalog_releases r ON r.id = l.release_id
            WHERE l.user_id = @user AND {Visible} {(cursor is null ? "" : "AND (l.created_at < @afterValue OR (l.created_at = @afterValue AND r.id > @afterId))")}
            ORDER BY l.created_at DESC, r.id LIMIT @limit
            """;
        Add(command, "user", db.IdValue(userId));
        Add(command, "now", now.UtcTicks);
        db.AddWholeAfter(command, cursor);
        Add(command, "limit", size + 1);
        var rows = new List<(ReleaseSummary, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((ReadRelease(reader), reader.GetInt64(21).ToString(CultureInfo.InvariantCulture)));
        }

        return CatalogCursor.Page(rows, size, r => r.Id);
    }

    public async Task<(long Followers, long Following, bool FollowedByViewer)> FollowCountsAsync(Guid userId, Guid? viewerId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM catalog_follows WHERE followee_id = @user),
                   (SELECT COUNT(*) FROM catalog_follows WHERE follower_id = @user),
                   (SELECT COUNT(*) FROM catalog_follows WHERE follower_id = @viewer AND followee_id = @user)
            """;
        Add(command, "user", db.IdValue(userId));
        Add(command, "viewer", db.IdValue(viewerId ?? Guid.Empty));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2) > 0);
    }

    public async Task<CatalogPage<Guid>> ListFollowsAsync(Guid userId, bool followers, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        var (mine, theirs) = followers ? ("followee_id", "follower_id") : ("follower_id", "followee_id");
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {theirs}, created_at FROM catalog_follows
            WHERE {mine} = @user {(cursor is null ? "" : $"AND (created_at < @afterValue OR (created_at = @afterValue AND {theirs} > @afterId))")}
            ORDER BY created_at DESC, {theirs} LIMIT @limit
            """;
        Add(command, "user", db.IdValue(userId));
        db.AddWholeAfter(command, cursor);
        Add(command, "limit", size + 1);
        var rows = new List<(Guid, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((db.ReadId(reader, 0), reader.GetInt64(1).ToString(CultureInfo.InvariantCulture)));
        }

        return CatalogCursor.Page(rows, size, id => id);
    }

    public async Task<CatalogPage<FeedItem>> FeedAsync(Guid userId, DateTimeOffset now, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        (long At, Guid Actor)? position = cursor is { } c && c.SortKey.Split(':') is [var ticks, var actor]
            && long.TryParse(ticks, CultureInfo.InvariantCulture, out var at) && Guid.TryParseExact(actor, "N", out var actorId)
            ? (at, actorId)
            : cursor is null ? null : throw CatalogCursor.Invalid();
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns}, f.actor, f.repost, f.at FROM (
                SELECT r.id AS release_id, r.owner_id AS actor, 0 AS repost, r.release_at AS at
                FROM catalog_follows w JOIN catalog_releases r ON r.owner_id = w.followee_id
                WHERE w.follower_id = @user
                UNION ALL
                SELECT p.release_id, p.user_id, 1, p.created_at
                FROM catalog_follows w JOIN catalog_reposts p ON p.user_id = w.followee_id
                WHERE w.follower_id = @user
            ) f JOIN catalog_releases r ON r.id = f.release_id
            WHERE {Visible} {(position is null ? "" : "AND (f.at < @afterAt OR (f.at = @afterAt AND (r.id > @afterId OR (r.id = @afterId AND f.actor > @afterActor))))")}
            ORDER BY f.at DESC, r.id, f.actor LIMIT @limit
            """;
        Add(command, "user", db.IdValue(userId));
        Add(command, "now", now.UtcTicks);
        if (position is { } p)
        {
            Add(command, "afterAt", p.At);
            Add(command, "afterId", db.IdValue(cursor!.Value.Id));
            Add(command, "afterActor", db.IdValue(p.Actor));
        }

        Add(command, "limit", size + 1);
        var rows = new List<(FeedItem, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var item = new FeedItem(ReadRelease(reader), db.ReadId(reader, 21), reader.GetInt32(22) == 1, Ticks(reader.GetInt64(23)));
            rows.Add((item, $"{item.At.UtcTicks.ToString(CultureInfo.InvariantCulture)}:{item.ActorId:N}"));
        }

        return CatalogCursor.Page(rows, size, i => i.Release.Id);
    }

    public async Task AddCommentAsync(ReleaseComment comment, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO catalog_comments (id, release_id, author_id, parent_id, at_seconds, body, created_at, sort_key)
            VALUES (@id, @release, @author, @parent, @at, @body, @created, @key)
            """, cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(comment.Id));
            Add(c, "release", db.IdValue(comment.ReleaseId));
            Add(c, "author", db.IdValue(comment.AuthorId));
            Add(c, "parent", comment.ParentId is { } parent ? db.IdValue(parent) : null);
            Add(c, "at", comment.AtSeconds);
            Add(c, "body", comment.Text);
            Add(c, "created", comment.CreatedAt.UtcTicks);
            // By position, then each thread in order: a reply sorts under its parent's key.
            Add(c, "key", $"{(long)(comment.AtSeconds * 1000):D12}:{(comment.ParentId ?? comment.Id):N}:{(comment.ParentId is null ? 0 : comment.CreatedAt.UtcTicks):D19}");
        });
    }

    public async Task<ReleaseComment?> GetCommentAsync(Guid commentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, release_id, author_id, parent_id, at_seconds, body, created_at, sort_key FROM catalog_comments WHERE id = @id";
        Add(command, "id", db.IdValue(commentId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadComment(reader) : null;
    }

    public async Task<int> DeleteCommentAsync(Guid commentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "DELETE FROM catalog_comments WHERE id = @id OR parent_id = @id", cancellationToken,
            c => Add(c, "id", db.IdValue(commentId)));
    }

    public async Task<CatalogPage<ReleaseComment>> ListCommentsAsync(Guid releaseId, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, release_id, author_id, parent_id, at_seconds, body, created_at, sort_key FROM catalog_comments
            WHERE release_id = @release {(cursor is null ? "" : "AND (sort_key > @afterKey OR (sort_key = @afterKey AND id > @afterId))")}
            ORDER BY sort_key, id LIMIT @limit
            """;
        Add(command, "release", db.IdValue(releaseId));
        if (cursor is { } c)
        {
            Add(command, "afterKey", c.SortKey);
            Add(command, "afterId", db.IdValue(c.Id));
        }

        Add(command, "limit", size + 1);
        var rows = new List<(ReleaseComment, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((ReadComment(reader), reader.GetString(7)));
        }

        return CatalogCursor.Page(rows, size, r => r.Id);
    }

    public async Task AddNotificationAsync(Notification notification, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO catalog_notifications (id, user_id, kind, actor_id, release_id, comment_id, created_at, sort_key, read)
            VALUES (@id, @user, @kind, @actor, @release, @comment, @created, @key, 0)
            """, cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(notification.Id));
            Add(c, "user", db.IdValue(notification.UserId));
            Add(c, "kind", notification.Kind.ToString());
            Add(c, "actor", db.IdValue(notification.ActorId));
            Add(c, "release", notification.ReleaseId is { } r ? db.IdValue(r) : null);
            Add(c, "comment", notification.CommentId is { } m ? db.IdValue(m) : null);
            Add(c, "created", notification.CreatedAt.UtcTicks);
            Add(c, "key", NewestFirst.Key(notification.CreatedAt));
        });
    }

    public async Task<IReadOnlyList<Notification>> NotifyFollowersAsync(Guid actorId, Guid releaseId, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        var followers = new List<Guid>();
        await using (var connection = await db.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT follower_id FROM catalog_follows WHERE followee_id = @actor";
            Add(command, "actor", db.IdValue(actorId));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                followers.Add(db.ReadId(reader, 0));
            }
        }

        var notifications = followers.Select(f => new Notification(Guid.NewGuid(), f, NotificationKind.Release, actorId, releaseId, null, at)).ToList();
        foreach (var notification in notifications)
        {
            await AddNotificationAsync(notification, cancellationToken);
        }

        return notifications;
    }

    public async Task<CatalogPage<Notification>> ListNotificationsAsync(Guid userId, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, user_id, kind, actor_id, release_id, comment_id, created_at, read, sort_key FROM catalog_notifications
            WHERE user_id = @user {(cursor is null ? "" : "AND (sort_key > @afterKey OR (sort_key = @afterKey AND id > @afterId))")}
            ORDER BY sort_key, id LIMIT @limit
            """;
        Add(command, "user", db.IdValue(userId));
        if (cursor is { } c)
        {
            Add(command, "afterKey", c.SortKey);
            Add(command, "afterId", db.IdValue(c.Id));
        }

        Add(command, "limit", size + 1);
        var rows = new List<(Notification, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((new Notification(db.ReadId(reader, 0), db.ReadId(reader, 1), Enum.Parse<NotificationKind>(reader.GetString(2)), db.ReadId(reader, 3),
                reader.IsDBNull(4) ? null : db.ReadId(reader, 4), reader.IsDBNull(5) ? null : db.ReadId(reader, 5), Ticks(reader.GetInt64(6)),
                reader.GetInt32(7) == 1), reader.GetString(8)));
        }

        return CatalogCursor.Page(rows, size, n => n.Id);
    }

    public async Task<long> UnreadNotificationsAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM catalog_notifications WHERE user_id = @user AND read = 0";
        Add(command, "user", db.IdValue(userId));
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task MarkNotificationsReadAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "UPDATE catalog_notifications SET read = 1 WHERE user_id = @user AND read = 0", cancellationToken,
            c => Add(c, "user", db.IdValue(userId)));
    }

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
