using Jacameno.Assets;
using Jacameno.Common;
using Jacameno.Storage.Catalog;

namespace Jacameno.Frontend.Assets;

/// <summary>
/// The caller's audio files, newest first: uploads, renders and purchases kept in the library (each is an
/// asset the caller owns). The catalog lists the ids; each asset's grain answers for itself, so an asset
/// deleted in between is left out rather than failing the page.
/// </summary>
public sealed class AssetLibrary(ICatalog catalog, IGrainFactory grains)
{
    public async Task<CatalogPage<AssetInfo>> ListAsync(Guid userId, int first, string? after)
    {
        var page = await catalog.ListOwnedAsync(OwnedList.Assets, userId, first, after);
        var assets = await Task.WhenAll(page.Items.Select(async id =>
        {
            try
            {
                return await grains.GetGrain<IAssetGrain>(id).GetAsync(userId);
            }
            catch (DomainException e) when (e.Kind == DomainErrorKind.NotFound)
            {
                return null;
            }
        }));
        return page.With(assets);
    }
}
