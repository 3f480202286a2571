using Jacameno.Assets;
using Jacameno.Common;
using Jacameno.Marketplace;
using Jacameno.Projects;
using Jacameno.Storage.Blobs;
using Jacameno.Storage.Catalog;
using Jacameno.Streaming;
using Microsoft.Extensions.Logging;

namespace Jacameno.Users;

/// <summary>
/// Erases what a deleted account made, then has the user grain forget it. Every step is idempotent, so a run that
/// fails part way is simply run again by the user grain's hourly reminder.
/// </summary>
public sealed partial class AccountEraserGrain(ICatalog catalog, IStreamingCatalog streaming, IMarketCatalog market, IBlobStore blobs,
    ILogger<AccountEraserGrain> logger)
    : Grain, IAccountEraserGrain
{
    private Guid UserId => this.GetPrimaryKey();

    public async Task EraseAsync()
    {
        try
        {
            await EraseReleasesAsync();
            await TakeListingsOffSaleAsync();
            await DeleteOwnedProjectsAsync();
            await DeleteUploadsAsync();
            await GrainFactory.GetGrain<Uploads.IResumableUploadsGrain>(UserId).EraseAsync();
            await DeleteExportsAsync();
            await GrainFactory.GetGrain<Plugins.IPluginPresetsGrain>(UserId).EraseAsync();
            await GrainFactory.GetGrain<IUserGrain>(UserId).CompleteDeletionAsync();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogEraseFailed(logger, e, UserId);
        }
    }

    private async Task EraseReleasesAsync()
    {
        // Deleting takes the rows out, so the first page is read again until it is empty.
        for (var pass = 0; pass < 1000 && (await streaming.ListOwnReleasesAsync(UserId, 100, null)).Items is { Count: > 0 } releases; pass++)
        {
            foreach (var release in releases)
            {
                await GrainFactory.GetGrain<IReleaseGrain>(release.Id).DeleteAsync(UserId);
            }
        }
    }

    private async Task TakeListingsOffSaleAsync()
    {
        string? after = null;
        do
        {
            var page = await market.SellerListingsAsync(UserId, 100, after);
            foreach (var listing in page.Items.Where(l => l.Status is not (ListingStatus.Removed or ListingStatus.SoldExclusively)))
            {
                await GrainFactory.GetGrain<IListingGrain>(listing.Id).SetStatusAsync(UserId, ListingStatus.Removed);
            }

            after = page.NextCursor;
        }
        while (after is not null);
    }

    private async Task DeleteOwnedProjectsAsync()
    {
        for (var pass = 0; pass < 1000 && (await catalog.ListProjectsAsync(UserId, owned: true, 100, null)).Items is { Count: > 0 } projects; pass++)
        {
            foreach (var project in projects)
            {
                await GrainFactory.GetGrain<IProjectGrain>(project.Id).DeleteAsync(UserId);
            }
        }
    }

    /// <summary>Uploads go with the account, except those a project of someone else still plays (a fork made in time).</summary>
    private async Task DeleteUploadsAsync()
    {
        var ids = new List<Guid>();
        string? after = null;
        do
        {
            var page = await catalog.ListOwnedAsync(OwnedList.Assets, UserId, 100, after);
            ids.AddRange(page.Items);
            after = page.NextCursor;
        }
        while (after is not null);

        foreach (var id in ids)
        {
            try
            {
                await GrainFactory.GetGrain<IAssetGrain>(id).DeleteAsync(UserId);
            }
            catch (DomainException e) when (e.Kind is DomainErrorKind.Conflict or DomainErrorKind.NotFound)
            {
                LogUploadKept(logger, id, e.Message);
            }
        }
    }

    /// <summary>The zips of the account's data exports, by the ids of its jobs.</summary>
    private async Task DeleteExportsAsync()
    {
        string? after = null;
        do
        {
            var page = await catalog.ListOwnedAsync(OwnedList.Jobs, UserId, 100, after);
            foreach (var jobId in page.Items)
            {
                await blobs.DeleteAsync(AccountExport.KeyOf(UserId, jobId));
            }

            after = page.NextCursor;
        }
        while (after is not null);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Erasing account {UserId} stopped part way; it goes on at the next reminder")]
    private static partial void LogEraseFailed(ILogger logger, Exception exception, Guid userId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload {AssetId} of an erased account is kept: {Reason}")]
    private static partial void LogUploadKept(ILogger logger, Guid assetId, string reason);
}
