using Jacameno.Streaming;

namespace Jacameno.Frontend.Streaming;

/// <summary>
/// Publishes a release from one of the caller's assets (an upload or a render) or from a project (the current
/// version, or <see cref="ProjectVersion"/>), with its details.
/// </summary>
public sealed record PublishRequest(
    Guid? AssetId,
    Guid? ProjectId,
    long? ProjectVersion,
    string? Title,
    string? Description,
    string? Genre,
    IReadOnlyList<string>? Tags,
    string? Mood,
    double? Bpm,
    string? Key,
    IReadOnlyList<ReleaseCredit>? Credits,
    ReleaseLicense? License,
    ReleaseVisibility? Visibility,
    DateTimeOffset? ReleaseAt,
    bool? Explicit)
{
    public ReleaseDetails Details => new(Title, Description, Genre, Tags, Mood, Bpm, Key, Credits, License, Visibility, ReleaseAt, Explicit);

    public AudioSource Source => new(AssetId, ProjectId, ProjectVersion);
}

/// <summary>Where a release's audio comes from: an asset of the caller's, or a project version they are a member of.</summary>
public sealed record AudioSource(Guid? AssetId, Guid? ProjectId, long? ProjectVersion);

/// <summary>The release and the job making its renditions (follow it at /api/jobs/{jobId}).</summary>
public sealed record PublishResponse(ReleaseInfo Release, Guid JobId);

/// <summary>A signed URL to one rendition, valid until <see cref="ExpiresAt"/>; it serves HTTP Range requests.</summary>
public sealed record StreamResponse(RenditionFormat Format, string ContentType, long Size, string Url, DateTimeOffset ExpiresAt);

/// <summary>A play's start (no playId) or report; <c>source</c> says where the player is, for the artist's insights.</summary>
public sealed record PlayRequest(string? PlayId, string? Source = null);

public sealed record CommentRequest(string? Text, double? AtSeconds, Guid? ParentId);

public sealed record PlaylistRequest(string? Title, string? Description, bool? IsPublic);

public sealed record PlaylistItemRequest(Guid? ReleaseId, int? Position);

public sealed record MoveRequest(int? Position);

/// <summary>A playlist with the releases in it that the viewer may see, in order.</summary>
public sealed record PlaylistResponse(Guid Id, Guid OwnerId, string Title, string? Description, bool IsPublic, IReadOnlyList<ReleaseSummary> Releases,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record FollowCounts(Guid UserId, long Followers, long Following, bool FollowedByMe);

public sealed record GenreCount(string Genre, long Releases);

public sealed record NotificationsResponse(IReadOnlyList<Notification> Items, long Unread, string? NextCursor, string? Next);
