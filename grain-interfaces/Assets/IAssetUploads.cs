using Jacameno.Users;

namespace Jacameno.Assets;

/// <summary>
/// Uploaded files becoming assets. A service where the request is, not a grain: the bytes stream from the client
/// straight into the blob store, and only the finished file's facts reach the asset grain.
/// </summary>
public interface IAssetUploads
{
    /// <summary>
    /// Stores <paramref name="content"/> as a new asset of <paramref name="ownerId"/>, counted against the storage
    /// their <paramref name="role"/> allows; an empty file or one over the quota leaves nothing behind.
    /// </summary>
    Task<AssetInfo> UploadAsync(Guid ownerId, UserRole role, Stream content, string fileName, CancellationToken cancellationToken = default);
}
