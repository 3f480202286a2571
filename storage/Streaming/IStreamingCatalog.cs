using Jacameno.Storage.Catalog;

namespace Jacameno.Streaming;

/// <summary>
/// A release as lists show it (search, charts, feeds, an artist's page). <see cref="Listed"/>: public and
/// published; every query for others reads only listed rows released by now.
/// </summary>
public sealed record ReleaseSummary(
    Guid Id,
    Guid OwnerId,
    string Artist,
    string Title,
    string? Description,
    string? Genre,
    IReadOnlyList<string> Tags,
    string? Mood,
    double? Bpm,
    string? Key,
    double? DurationSeconds,
    bool Explicit,
    bool HasArtwork,
    bool Listed,
    DateTimeOffset ReleaseAt,
    DateTimeOffset CreatedAt,
    long Plays,
    long Likes,
    long Reposts,
    long Comments,
    double Trend);

public enum ReleaseSort
{
    /// <summary>Best text match first (new without a text).</summary>
    Relevance,
    New,
    Trending,
    Top,
}

/// <summary>A search of listed releases: every given filter must hold.</summary>
public sealed record ReleaseQuery(
    string? Text = null,
    string? Genre = null,
    string? Tag = null,
    double? BpmMin = null,
    double? BpmMax = null,
    string? Key = null,
    Guid? OwnerId = null,
    ReleaseSort Sort = ReleaseSort.Relevance,
    int First = 20,
    string? After = null);

/// <summary>One entry of a home feed: a release by someone followed, or someone followed reposting one.</summary>
public sealed record FeedItem(ReleaseSummary Release, Guid ActorId, bool Repost, DateTimeOffset At);

/// <summary>A playlist as the owner's list shows it.</summary>
public sealed record PlaylistSummary(Guid Id, Guid OwnerId, string Title, bool IsPublic, int Count, DateTimeOffset UpdatedAt);

/// <summary>
/// The streaming side of the catalog: releases for search, charts and feeds; and the social relations
/// (likes, reposts, follows), comments and notifications, which are rows here because they grow without
/// bound (docs/decisions.md). The grain that serializes each one writes it: a release grain its likes,
/// reposts, comments and counters. SQLite FTS5 embedded, PostgreSQL full-text search in a cluster.
/// </summary>
public interface IStreamingCatalog
{
    Task UpsertReleaseAsync(ReleaseSummary release, CancellationToken cancellationToken = default);

    Task UpdateReleaseStatsAsync(Guid releaseId, long plays, long likes, long reposts, long comments, double trend, CancellationToken cancellationToken = default);

    /// <summary>Removes the release with its tags, likes, reposts and comments.</summary>
    Task DeleteReleaseAsync(Guid releaseId, CancellationToken cancellationToken = default);

    /// <summary>Listed releases out by <paramref name="now"/> that match the query, as one page.</summary>
    Task<CatalogPage<ReleaseSummary>> SearchReleasesAsync(ReleaseQuery query, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The genres of listed releases out by <paramref name="now"/>, with how many each has, most first.</summary>
    Task<IReadOnlyList<(string Genre, long Releases)>> GenresAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>Every release of the owner, listed or not, newest first: for the owner's own eyes only.</summary>
    Task<CatalogPage<ReleaseSummary>> ListOwnReleasesAsync(Guid ownerId, int first, string? after, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ReleaseSummary>> GetReleasesAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken = default);

    /// <summary>Listed releases like this one: shared tags and genre, close tempo and the same key, liked by the same people.</summary>
    Task<IReadOnlyList<ReleaseSummary>> RelatedAsync(ReleaseSummary release, DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>Sets or clears a like; true when that changed something.</summary>
    Task<bool> SetLikeAsync(Guid userId, Guid releaseId, bool like, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task<bool> SetRepostAsync(Guid userId, Guid releaseId, bool repost, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Of <paramref name="releaseIds"/>, those the user liked and those they reposted.</summary>
    Task<(IReadOnlySet<Guid> Liked, IReadOnlySet<Guid> Reposted)> MarksAsync(Guid userId, IReadOnlyCollection<Guid> releaseIds, CancellationToken cancellationToken = default);

    /// <summary>Listed releases the user liked, most recent like first.</summary>
    Task<CatalogPage<ReleaseSummary>> LikedAsync(Guid userId, DateTimeOffset now, int first, string? after, CancellationToken cancellationToken = default);

    Task<bool> SetFollowAsync(Guid followerId, Guid followeeId, bool follow, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task<(long Followers, long Following, bool FollowedByViewer)> FollowCountsAsync(Guid userId, Guid? viewerId, CancellationToken cancellationToken = default);

    /// <summary>Who follows the user (<paramref name="followers"/>) or whom they follow, most recent first.</summary>
    Task<CatalogPage<Guid>> ListFollowsAsync(Guid userId, bool followers, int first, string? after, CancellationToken cancellationToken = default);

    /// <summary>Releases and reposts of the people the user follows, newest first.</summary>
    Task<CatalogPage<FeedItem>> FeedAsync(Guid userId, DateTimeOffset now, int first, string? after, CancellationToken cancellationToken = default);

    Task AddCommentAsync(ReleaseComment comment, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> comments the user wrote, oldest first (for the export of their data; not indexed by author).</summary>
    Task<IReadOnlyList<ReleaseComment>> CommentsByAuthorAsync(Guid authorId, int limit, CancellationToken cancellationToken = default);

    Task<ReleaseComment?> GetCommentAsync(Guid commentId, CancellationToken cancellationToken = default);

    /// <summary>Deletes the comment and its replies; returns how many went.</summary>
    Task<int> DeleteCommentAsync(Guid commentId, CancellationToken cancellationToken = default);

    /// <summary>The release's comments by time position, each reply right after what it answers.</summary>
    Task<CatalogPage<ReleaseComment>> ListCommentsAsync(Guid releaseId, int first, string? after, CancellationToken cancellationToken = default);

    Task AddNotificationAsync(Notification notification, CancellationToken cancellationToken = default);

    /// <summary>Notifies every follower of <paramref name="actorId"/> of a new release; returns the notifications.</summary>
    Task<IReadOnlyList<Notification>> NotifyFollowersAsync(Guid actorId, Guid releaseId, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task<CatalogPage<Notification>> ListNotificationsAsync(Guid userId, int first, string? after, CancellationToken cancellationToken = default);

    Task<long> UnreadNotificationsAsync(Guid userId, CancellationToken cancellationToken = default);

    Task MarkNotificationsReadAsync(Guid userId, CancellationToken cancellationToken = default);

    Task UpsertPlaylistAsync(PlaylistSummary playlist, CancellationToken cancellationToken = default);

    Task DeletePlaylistAsync(Guid playlistId, CancellationToken cancellationToken = default);

    /// <summary>The owner's playlists by title; only public ones unless <paramref name="includePrivate"/>.</summary>
    Task<CatalogPage<PlaylistSummary>> ListPlaylistsAsync(Guid ownerId, bool includePrivate, int first, string? after, CancellationToken cancellationToken = default);
}
