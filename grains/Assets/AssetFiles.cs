using Jacameno.Common;
using Jacameno.Infrastructure.Blobs;
using Jacameno.Users;

namespace Jacameno.Assets;

/// <summary>How a file becomes an asset, for uploads, DAWproject imports and job outputs alike.</summary>
public static class AssetFiles
{
    /// <summary>
    /// Streams <paramref name="content"/> to the blob store, counts it against the owner's storage
    /// (<paramref name="quotaBytes"/>, null for none) once its size is known, and creates the asset, whose
    /// processing starts at once. When anything fails (over quota, <paramref name="requireContent"/> and
    /// empty, the stream throws) nothing is kept. <paramref name="assetId"/> makes the asset's id chosen (so a retry
    /// finds it taken instead of making another); <paramref name="licenseId"/> is the purchase it comes under.
    /// </summary>
    public static async Task<AssetInfo> CreateAsync(IGrainFactory grains, IBlobStore blobs, Guid ownerId, long? quotaBytes,
        Stream content, string fileName, string contentType, CancellationToken cancellationToken, bool requireContent = false,
        Guid? assetId = null, Guid? licenseId = null)
    {
        var id = assetId ?? Guid.NewGuid();
        var key = $"assets/{id:N}/original";
        try
        {
            var stored = await blobs.PutAsync(key, content, contentType, cancellationToken);
            if (requireContent && stored.Length == 0)
            {
                throw DomainException.Invalid("file", "The file is empty.");
            }

            await grains.GetGrain<IUserGrain>(ownerId).ReserveStorageAsync(stored.Length, quotaBytes);
            return await grains.GetGrain<IAssetGrain>(id).CreateAsync(ownerId, new AssetUpload(fileName, contentType, key, stored.Length, licenseId));
        }
        catch
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
            throw;
        }
    }
}
