namespace Jacameno.Streaming;

/// <summary>Who may find and play a release besides its owner.</summary>
public enum ReleaseVisibility
{
    /// <summary>Everyone: listed in search, charts, feeds and the artist's page.</summary>
    Public,

    /// <summary>Whoever has the secret link; never listed.</summary>
    Unlisted,

    /// <summary>The owner only.</summary>
    Private,
}

public enum ReleaseLicense
{
    AllRightsReserved,
    CcBy,
    CcBySa,
    CcByNd,
    CcByNc,
    CcByNcSa,
    CcByNcNd,
    Cc0,
}

public enum ReleaseStatus
{
    /// <summary>The first renditions are being made; nothing plays yet.</summary>
    Processing,
    Ready,
    Failed,
}

/// <summary>A stream copy: loudness-normalized Opus, AAC and MP3; and the original, for the owner only.</summary>
public enum RenditionFormat
{
    Opus,
    Aac,
    Mp3,
    Original,
}

/// <summary>Someone who made the release, with their part ("producer", "vocals"); a user of the platform or just a name.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.release-credit")]
public sealed record ReleaseCredit(
    [property: Id(0)] string Name,
    [property: Id(1)] string Role,
    [property: Id(2)] Guid? UserId = null);

/// <summary>What the owner says about a release. On update, null fields stay as they are (an empty text clears one).</summary>
[GenerateSerializer, Immutable, Alias("jacameno.release-details")]
public sealed record ReleaseDetails(
    [property: Id(0)] string? Title = null,
    [property: Id(1)] string? Description = null,
    [property: Id(2)] string? Genre = null,
    [property: Id(3)] IReadOnlyList<string>? Tags = null,
    [property: Id(4)] string? Mood = null,
    [property: Id(5)] double? Bpm = null,
    [property: Id(6)] string? Key = null,
    [property: Id(7)] IReadOnlyList<ReleaseCredit>? Credits = null,
    [property: Id(8)] ReleaseLicense? License = null,
    [property: Id(9)] ReleaseVisibility? Visibility = null,
    [property: Id(10)] DateTimeOffset? ReleaseAt = null,
    [property: Id(11)] bool? Explicit = null);

/// <summary>One stored copy of the release's audio.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.rendition")]
public sealed record Rendition(
    [property: Id(0)] RenditionFormat Format,
    [property: Id(1)] string BlobKey,
    [property: Id(2)] string ContentType,
    [property: Id(3)] long Size);

/// <summary>What the renditions job made of one audio version: the copies, the player's peaks, and what analysis found.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.rendition-set")]
public sealed record RenditionSet(
    [property: Id(0)] IReadOnlyList<Rendition> Renditions,
    [property: Id(1)] string PeaksKey,
    [property: Id(2)] double DurationSeconds,
    [property: Id(3)] double IntegratedLufs,
    [property: Id(4)] double TruePeakDbtp,
    [property: Id(5)] double? Bpm,
    [property: Id(6)] string? Key);

/// <summary>Who asks: a signed-in user (or nobody), and the secret of an unlisted link when they have one.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.release-viewer")]
public sealed record ReleaseViewer(
    [property: Id(0)] Guid? UserId,
    [property: Id(1)] string? Secret = null,
    [property: Id(2)] bool Premium = false);

/// <summary>A release as the API shows it. <see cref="Secret"/> is only filled for the owner.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.release")]
public sealed record ReleaseInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid OwnerId,
    [property: Id(2)] string Title,
    [property: Id(3)] string? Description,
    [property: Id(4)] string? Genre,
    [property: Id(5)] IReadOnlyList<string> Tags,
    [property: Id(6)] string? Mood,
    [property: Id(7)] double? Bpm,
    [property: Id(8)] string? Key,
    [property: Id(9)] IReadOnlyList<ReleaseCredit> Credits,
    [property: Id(10)] ReleaseLicense License,
    [property: Id(11)] ReleaseVisibility Visibility,
    [property: Id(12)] DateTimeOffset ReleaseAt,
    [property: Id(13)] bool Explicit,
    [property: Id(14)] bool Published,
    [property: Id(15)] ReleaseStatus Status,
    [property: Id(16)] string? Error,
    [property: Id(17)] int AudioVersion,
    [property: Id(18)] bool ReplacingAudio,
    [property: Id(19)] double? DurationSeconds,
    [property: Id(20)] double? IntegratedLufs,
    [property: Id(21)] IReadOnlyList<RenditionFormat> Formats,
    [property: Id(22)] bool HasArtwork,
    [property: Id(23)] long Plays,
    [property: Id(24)] long Likes,
    [property: Id(25)] long Reposts,
    [property: Id(26)] long Comments,
    [property: Id(27)] DateTimeOffset CreatedAt,
    [property: Id(28)] DateTimeOffset UpdatedAt,
    [property: Id(29)] string? Secret,
    [property: Id(30)] string Artist);

/// <summary>A comment at a time position of a release; a reply names the comment it answers (and shares its position).</summary>
[GenerateSerializer, Immutable, Alias("jacameno.release-comment")]
public sealed record ReleaseComment(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ReleaseId,
    [property: Id(2)] Guid AuthorId,
    [property: Id(3)] Guid? ParentId,
    [property: Id(4)] double AtSeconds,
    [property: Id(5)] string Text,
    [property: Id(6)] DateTimeOffset CreatedAt);

/// <summary>Whether a reported play was counted, and when a listener's next play of this release can count.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.play-result")]
public sealed record PlayResult(
    [property: Id(0)] bool Counted,
    [property: Id(1)] string? PlayId,
    [property: Id(2)] double CountAfterSeconds,
    [property: Id(3)] long Plays);

/// <summary>
/// A published song, keyed by release id: what the owner said about it, its renditions (made by a job for
/// each audio version), who may play it, and its counters. It writes its public face through to the
/// catalog (search, charts, feeds) and serializes likes, reposts, plays and comments on it.
/// </summary>
[Alias("jacameno.release-grain")]
public interface IReleaseGrain : IGrainWithGuidKey
{
    /// <summary>Creates the release (processing) whose first renditions the job <paramref name="jobId"/> makes.</summary>
    [Alias("create")]
    Task<ReleaseInfo> CreateAsync(Guid ownerId, ReleaseDetails details, Guid jobId);

    /// <summary>The release as <paramref name="viewer"/> may see it; not found when they may not.</summary>
    [Alias("get")]
    Task<ReleaseInfo> GetAsync(ReleaseViewer viewer);

    [Alias("update")]
    Task<ReleaseInfo> UpdateAsync(Guid userId, ReleaseDetails details);

    /// <summary>Published or not (unpublished: the owner's alone, as private, keeping everything).</summary>
    [Alias("publish")]
    Task<ReleaseInfo> SetPublishedAsync(Guid userId, bool published);

    /// <summary>A new audio version, made by the job <paramref name="jobId"/>; the current one plays until it is ready. Counters stay.</summary>
    [Alias("replace-audio")]
    Task<(ReleaseInfo Info, int Version)> ReplaceAudioAsync(Guid userId, Guid jobId);

    /// <summary>Sets the artwork, already validated and resized, stored under <paramref name="prefix"/> (<c>{prefix}/{size}.jpg</c>).</summary>
    [Alias("set-artwork")]
    Task<ReleaseInfo> SetArtworkAsync(Guid userId, string prefix);

    /// <summary>The blob key of the artwork at <paramref name="size"/> px for the viewer; not found without one.</summary>
    [Alias("artwork")]
    Task<string> GetArtworkKeyAsync(ReleaseViewer viewer, int size);

    /// <summary>Deletes the release, its renditions, artwork, comments, likes and reposts.</summary>
    [Alias("delete")]
    Task DeleteAsync(Guid userId);

    /// <summary>The renditions job finished version <paramref name="version"/>. Idempotent.</summary>
    [Alias("renditions-ready")]
    Task RenditionsReadyAsync(int version, RenditionSet renditions);

    /// <summary>The renditions job for <paramref name="version"/> failed for good.</summary>
    [Alias("renditions-failed")]
    Task RenditionsFailedAsync(int version, string reason);

    /// <summary>The rendition to stream for the viewer; <see cref="RenditionFormat.Original"/> is the owner's alone.</summary>
    [Alias("rendition")]
    Task<Rendition> GetRenditionAsync(ReleaseViewer viewer, RenditionFormat format);

    /// <summary>The blob key of the player's waveform peaks (.dat) for the viewer.</summary>
    [Alias("peaks")]
    Task<string> GetPeaksKeyAsync(ReleaseViewer viewer);

    /// <summary>Likes or unlikes; idempotent. Returns the release after.</summary>
    [Alias("like")]
    Task<ReleaseInfo> LikeAsync(ReleaseViewer viewer, bool like);

    [Alias("repost")]
    Task<ReleaseInfo> RepostAsync(ReleaseViewer viewer, bool repost);

    /// <summary>
    /// A listener's play: without <paramref name="playId"/> it starts one; with it, it counts the play once the
    /// listener has been at it for 30 s (or the whole release, when shorter), at most once per 30 s per listener.
    /// </summary>
    /// <remarks><paramref name="source"/> (where the player is: search, feed, embed…) and <paramref name="country"/> (ISO 3166 alpha-2,
    /// when known) go to the owner's insights with the counted play.</remarks>
    [Alias("play")]
    Task<PlayResult> PlayAsync(ReleaseViewer viewer, string listenerKey, string? playId, string? source = null, string? country = null);

    [Alias("comment")]
    Task<ReleaseComment> CommentAsync(ReleaseViewer viewer, string text, double atSeconds, Guid? parentId);

    /// <summary>Deletes a comment (its author or the release's owner) and its replies.</summary>
    [Alias("delete-comment")]
    Task DeleteCommentAsync(Guid userId, Guid commentId);

    /// <summary>A moderator hides, restores or removes the release (authorized at the edge); <paramref name="forBan"/> when its owner's ban does it. Returns the owner.</summary>
    [Alias("moderate")]
    Task<Guid> ModerateAsync(Jacameno.Moderation.ModerationAction action, string reason, bool forBan);

    /// <summary>A moderator removes a comment of the release.</summary>
    [Alias("remove-comment")]
    Task RemoveCommentAsync(Guid commentId);

    /// <summary>Checks that the viewer may see the release (not found otherwise), for reads served from the catalog.</summary>
    [Alias("check")]
    Task CheckVisibleAsync(ReleaseViewer viewer);
}
