namespace Jacameno.Streaming;

/// <summary>A release's artwork from an uploaded image: checked, cropped square and re-encoded before anything is served.</summary>
public interface IReleaseArtwork
{
    /// <summary>The largest image accepted, in bytes.</summary>
    const long MaxBytes = 10 * 1024 * 1024;

    /// <summary>Makes <paramref name="image"/> the artwork of the owner's release; the old files stay until the release is changed.</summary>
    Task<ReleaseInfo> SetAsync(Guid userId, Guid releaseId, Stream image, CancellationToken cancellationToken = default);
}
