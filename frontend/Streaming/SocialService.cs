using Jacameno.Common;
using Jacameno.Storage.Catalog;
using Jacameno.Streaming;
using Jacameno.Users;

namespace Jacameno.Frontend.Streaming;

/// <summary>Follows, the home feed, notifications, likes lists and playlists; REST and GraphQL both call these.</summary>
public sealed class SocialService(IClusterClient cluster, IStreamingCatalog catalog, TimeProvider clock, ILogger<SocialService> logger)
{
    /// <summary>Follows or unfollows; idempotent. The followed user hears of a new follower.</summary>
    public async Task<FollowCounts> FollowAsync(Guid followerId, Guid followeeId, bool follow)
    {
        if (followerId == followeeId)
        {
            throw DomainException.Invalid("id", "You cannot follow yourself.");
        }

        var followee = cluster.GetGrain<IUserGrain>(followeeId);
        await followee.GetProfileAsync();
        if (follow && await followee.IsBlockingAsync(followerId))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "This user does not take followers from your account.");
        }

        var now = clock.GetUtcNow();
        if (await catalog.SetFollowAsync(followerId, followeeId, follow, now) && follow)
        {
            var notification = new Notification(Guid.NewGuid(), followeeId, NotificationKind.Follow, followerId, null, null, now);
            await catalog.AddNotificationAsync(notification);
            await cluster.GetStreamProvider(StreamNames.Provider).PublishToUserAsync(followeeId, new UserEvent(UserEventKind.Notification, Notification: notification), logger);
        }

        return await CountsAsync(followeeId, followerId);
    }

    public async Task<FollowCounts> CountsAsync(Guid userId, Guid? viewerId)
    {
        await cluster.GetGrain<IUserGrain>(userId).GetProfileAsync();
        var (followers, following, followed) = await catalog.FollowCountsAsync(userId, viewerId);
        return new FollowCounts(userId, followers, following, followed);
    }

    public async Task<CatalogPage<UserResponse>> FollowsAsync(Guid userId, bool followers, int first, string? after)
    {
        var page = await catalog.ListFollowsAsync(userId, followers, first, after);
        var users = await Task.WhenAll(page.Items.Select(async id => UserResponse.From(await cluster.GetGrain<IUserGrain>(id).GetProfileAsync())));
        return page.With(users);
    }

    /// <summary>Which of these releases the user liked and reposted (at most 100 asked at once).</summary>
    public async Task<ReleaseMarks> MarksAsync(Guid userId, string? ids)
    {
        var releaseIds = new HashSet<Guid>();
        foreach (var part in (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            releaseIds.Add(Guid.TryParse(part, out var id) ? id : throw DomainException.Invalid("ids", $"'{part}' is not a release id."));
        }

        if (releaseIds.Count is 0 or > 100)
        {
            throw DomainException.Invalid("ids", "ids is a comma-separated list of 1 to 100 release ids.");
        }

        var (liked, reposted) = await catalog.MarksAsync(userId, releaseIds);
        return new ReleaseMarks([.. liked], [.. reposted]);
    }

    public Task<CatalogPage<FeedItem>> FeedAsync(Guid userId, int first, string? after) => catalog.FeedAsync(userId, clock.GetUtcNow(), first, after);

    public Task<CatalogPage<ReleaseSummary>> LikedAsync(Guid userId, int first, string? after) => catalog.LikedAsync(userId, clock.GetUtcNow(), first, after);

    public async Task<(CatalogPage<Notification> Page, long Unread)> NotificationsAsync(Guid userId, int first, string? after) =>
        (await catalog.ListNotificationsAsync(userId, first, after), await catalog.UnreadNotificationsAsync(userId));

    public Task MarkNotificationsReadAsync(Guid userId) => catalog.MarkNotificationsReadAsync(userId);

    public async Task<PlaylistResponse> CreatePlaylistAsync(Guid userId, PlaylistRequest request) =>
        await ResponseAsync(await cluster.GetGrain<IPlaylistGrain>(Guid.NewGuid()).CreateAsync(userId, new PlaylistDetails(request.Title, request.Description, request.IsPublic)), userId);

    public async Task<PlaylistResponse> GetPlaylistAsync(Guid playlistId, Guid? viewerId) =>
        await ResponseAsync(await Playlist(playlistId).GetAsync(viewerId), viewerId);

    public async Task<PlaylistResponse> UpdatePlaylistAsync(Guid userId, Guid playlistId, PlaylistRequest request) =>
        await ResponseAsync(await Playlist(playlistId).UpdateAsync(userId, new PlaylistDetails(request.Title, request.Description, request.IsPublic)), userId);

    public async Task<PlaylistResponse> AddToPlaylistAsync(Guid userId, Guid playlistId, Guid? releaseId, int? position) =>
        await ResponseAsync(await Playlist(playlistId).AddAsync(userId, releaseId ?? throw DomainException.Invalid("releaseId", "releaseId is required."), position), userId);

    public async Task<PlaylistResponse> RemoveFromPlaylistAsync(Guid userId, Guid playlistId, Guid releaseId) =>
        await ResponseAsync(await Playlist(playlistId).RemoveAsync(userId, releaseId), userId);

    public async Task<PlaylistResponse> MoveInPlaylistAsync(Guid userId, Guid playlistId, Guid releaseId, int? position) =>
        await ResponseAsync(await Playlist(playlistId).MoveAsync(userId, releaseId, position ?? throw DomainException.Invalid("position", "position is required.")), userId);

    public Task DeletePlaylistAsync(Guid userId, Guid playlistId) => Playlist(playlistId).DeleteAsync(userId);

    public Task<CatalogPage<PlaylistSummary>> PlaylistsAsync(Guid ownerId, Guid? viewerId, int first, string? after) =>
        catalog.ListPlaylistsAsync(ownerId, includePrivate: ownerId == viewerId, first, after);

    private IPlaylistGrain Playlist(Guid id) => cluster.GetGrain<IPlaylistGrain>(id);

    /// <summary>The playlist with the releases the viewer may see: listed and out, or their own.</summary>
    private async Task<PlaylistResponse> ResponseAsync(PlaylistInfo playlist, Guid? viewerId)
    {
        var now = clock.GetUtcNow();
        var releases = (await catalog.GetReleasesAsync(playlist.ReleaseIds))
            .Where(r => (r.Listed && r.ReleaseAt <= now) || r.OwnerId == viewerId).ToList();
        return new PlaylistResponse(playlist.Id, playlist.OwnerId, playlist.Title, playlist.Description, playlist.IsPublic, releases, playlist.CreatedAt, playlist.UpdatedAt);
    }
}

/// <summary>Of the releases asked about, those the caller liked and those they reposted.</summary>
public sealed record ReleaseMarks(IReadOnlyList<Guid> Liked, IReadOnlyList<Guid> Reposted);
