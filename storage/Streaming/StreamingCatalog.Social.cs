using System.Globalization;
using Jacameno.Storage.Catalog;
using static Jacameno.Storage.Catalog.SqlDialect;

namespace Jacameno.Streaming;

// The catalog's the social graph: likes, reposts, follows and the feed (StreamingCatalog.cs has the shared readers).
public sealed partial class StreamingCatalog
{
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
}
