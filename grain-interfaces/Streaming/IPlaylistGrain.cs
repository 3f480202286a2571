namespace Jacameno.Streaming;

/// <summary>A playlist as the API shows it: its releases in order (the caller drops those the viewer may not see).</summary>
[GenerateSerializer, Immutable, Alias("jacameno.playlist")]
public sealed record PlaylistInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid OwnerId,
    [property: Id(2)] string Title,
    [property: Id(3)] string? Description,
    [property: Id(4)] bool IsPublic,
    [property: Id(5)] IReadOnlyList<Guid> ReleaseIds,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset UpdatedAt);

/// <summary>A change to a playlist; null fields stay as they are.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.playlist-details")]
public sealed record PlaylistDetails(
    [property: Id(0)] string? Title = null,
    [property: Id(1)] string? Description = null,
    [property: Id(2)] bool? IsPublic = null);

/// <summary>An ordered list of releases that one user keeps, public or private. Keyed by playlist id.</summary>
[Alias("jacameno.playlist-grain")]
public interface IPlaylistGrain : IGrainWithGuidKey
{
    [Alias("create")]
    Task<PlaylistInfo> CreateAsync(Guid ownerId, PlaylistDetails details);

    /// <summary>The playlist; not found for others when it is private.</summary>
    [Alias("get")]
    Task<PlaylistInfo> GetAsync(Guid? viewerId);

    [Alias("update")]
    Task<PlaylistInfo> UpdateAsync(Guid userId, PlaylistDetails details);

    /// <summary>Inserts the release at <paramref name="position"/> (the end when null); a release is in a playlist once.</summary>
    [Alias("add")]
    Task<PlaylistInfo> AddAsync(Guid userId, Guid releaseId, int? position);

    [Alias("remove")]
    Task<PlaylistInfo> RemoveAsync(Guid userId, Guid releaseId);

    /// <summary>Moves the release to <paramref name="position"/>.</summary>
    [Alias("move")]
    Task<PlaylistInfo> MoveAsync(Guid userId, Guid releaseId, int position);

    [Alias("delete")]
    Task DeleteAsync(Guid userId);
}
