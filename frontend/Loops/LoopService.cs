using Jacameno.Assets;
using Jacameno.Common;
using Jacameno.Marketplace;
using Jacameno.Storage.Blobs;
using Jacameno.Storage.Catalog;
using Jacameno.Streaming;
using Jacameno.Users;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Loops;

/// <summary>A loop taken into the caller's audio: the asset to place, and the loop's tempo and beats to stretch it by.</summary>
public sealed record LoopTaken(AssetInfo Asset, LoopSummary Loop);

/// <summary>
/// The loop library (docs/marketplace.md): browsing the files of listed library packs, hearing one, and taking one
/// into the caller's audio. Taking is the marketplace's own free purchase: the first loop of a pack places a free
/// order of its tier (a license, in the buyer's orders), and each loop becomes an asset under that order, once.
/// </summary>
public sealed class LoopService(IGrainFactory grains, IMarketCatalog catalog, IBlobStore blobs, IOptions<AssetOptions> assetOptions)
{
    public const int MaxQueryLength = 100;

    public Task<CatalogPage<LoopSummary>> SearchAsync(string? q, string? instrument, string? kind, string? key, double? bpmMin, double? bpmMax, int first, string? after)
    {
        if (bpmMin is { } a && (!double.IsFinite(a) || a < 0) || bpmMax is { } b && (!double.IsFinite(b) || b < 0) || bpmMin > bpmMax)
        {
            throw DomainException.Invalid("bpmMin", "bpmMin and bpmMax are tempos from 0, the smaller first.");
        }

        return catalog.SearchLoopsAsync(new LoopQuery(ReleaseRules.Text(q, "q", MaxQueryLength), instrument is null ? null : LoopLibrary.Instrument(instrument),
            LoopLibrary.KindIsLoop(kind), ReleaseRules.Key(key), bpmMin, bpmMax, first, after));
    }

    /// <summary>The loop, while its pack is a listed library pack the viewer may see.</summary>
    public async Task<LoopSummary> GetAsync(Guid loopId, Guid? viewerId) => (await FindAsync(loopId, viewerId)).Loop;

    /// <summary>The loop's file as its seller uploaded it, for hearing it before taking it.</summary>
    public async Task<(Stream Content, string ContentType, long Length)> AudioAsync(Guid loopId, Guid? viewerId, CancellationToken cancellationToken)
    {
        var (_, file) = await FindAsync(loopId, viewerId);
        var blob = await blobs.GetAsync(file.BlobKey, cancellationToken: cancellationToken) ?? throw DomainException.NotFound("The loop");
        return (blob.Stream, file.ContentType, blob.TotalLength);
    }

    public async Task<LoopTaken> TakeAsync(Guid loopId, Guid userId, UserRole role)
    {
        var (loop, file) = await FindAsync(loopId, userId);
        var listing = await grains.GetGrain<IListingGrain>(loop.ListingId).GetAsync(userId);
        Guid assetId;
        if (listing.SellerId == userId)
        {
            assetId = await grains.GetGrain<IListingGrain>(loop.ListingId).OwnLoopAssetAsync(userId, loop.Index, assetOptions.Value.QuotaFor(role));
        }
        else
        {
            // One order per user and pack: its id is theirs and the pack's.
            var order = grains.GetGrain<IOrderGrain>(DerivedIds.Of(loop.ListingId.ToByteArray(), userId.ToByteArray()));
            await EnsureOrderAsync(order, userId, listing);
            assetId = await order.AddFileToLibraryAsync(userId, file.BlobKey);
        }

        return new LoopTaken(await grains.GetGrain<IAssetGrain>(assetId).GetAsync(userId), loop);
    }

    /// <summary>The user's one library order of the pack, placed (free, so paid at once) the first time.</summary>
    private static async Task EnsureOrderAsync(IOrderGrain order, Guid userId, ListingInfo listing)
    {
        if (await ExistsAsync(order, userId))
        {
            return;
        }

        var tier = listing.Tiers.FirstOrDefault(t => t.Price == 0 && t.Formats.Contains(DeliveredFormat.Wav))
            ?? throw DomainException.NotFound("The loop");
        try
        {
            await order.CreateAsync(userId, listing.Id, tier.Id);
        }
        catch (DomainException e) when (e.Kind == DomainErrorKind.Conflict)
        {
            // Another request of the same user placed it first; any other conflict (the pack just paused) stands.
            if (!await ExistsAsync(order, userId))
            {
                throw;
            }
        }
    }

    private static async Task<bool> ExistsAsync(IOrderGrain order, Guid userId)
    {
        try
        {
            await order.GetAsync(new OrderActor(userId, false));
            return true;
        }
        catch (DomainException e) when (e.Kind == DomainErrorKind.NotFound)
        {
            return false;
        }
    }

    private async Task<(LoopSummary Loop, ListingFile File)> FindAsync(Guid loopId, Guid? viewerId)
    {
        var loop = await catalog.LoopAsync(loopId) ?? throw DomainException.NotFound("The loop");
        return (loop, await grains.GetGrain<IListingGrain>(loop.ListingId).LoopFileAsync(viewerId, loop.Index));
    }
}
