using Jacameno.Assets;
using Jacameno.Common;
using Jacameno.Frontend.Jobs;
using Jacameno.Frontend.Users;
using Jacameno.Jobs;
using Jacameno.Marketplace;
using Jacameno.Projects;
using Jacameno.Storage.Blobs;
using Jacameno.Storage.Catalog;
using Jacameno.Streaming;
using Jacameno.Users;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Marketplace;

/// <summary>Marketplace use cases; REST and GraphQL both call these.</summary>
public sealed class MarketService(IGrainFactory grains, IMarketCatalog catalog, IBlobStore blobs, JobService jobs, IOptions<MarketOptions> options, TimeProvider clock,
    AccountGate gate)
{
    public async Task<ListingCreated> CreateListingAsync(Guid sellerId, UserRole role, ListingRequest request)
    {
        var type = request.Type ?? throw DomainException.Invalid("type", "type is beat, samplePack, presetPack or stems.");
        var sources = (request.AssetId is null ? 0 : 1) + (request.AssetIds is { Count: > 0 } ? 1 : 0) + (request.ProjectId is null ? 0 : 1);
        var shape = type switch
        {
            ListingType.PresetPack => sources == 0 ? null : "A preset pack is its presets; give no audio.",
            ListingType.SamplePack => request.AssetIds is { Count: > 0 } && sources == 1 ? null : "A sample pack is its files: give assetIds.",
            ListingType.Stems => request.ProjectId is not null ^ request.AssetIds is { Count: > 0 } && request.AssetId is null ? null : "Stems come from a project (projectId) or stem files (assetIds).",
            _ => request.AssetId is not null ^ request.ProjectId is not null ? null : "A beat is a master (assetId, with stems as assetIds) or a project (projectId).",
        };
        if (shape is not null)
        {
            throw DomainException.Invalid("assetId", shape);
        }

        if (request.AssetIds?.Count > 100)
        {
            throw DomainException.Invalid("assetIds", "A listing has at most 100 files.");
        }

        foreach (var assetId in (request.AssetIds ?? []).Select(a => (Guid?)a).Append(request.AssetId).OfType<Guid>())
        {
            (await grains.GetGrain<IAssetGrain>(assetId).GetAsync(sellerId)).RequireReady("assetIds");
        }

        long? version = null;
        if (request.ProjectId is { } projectId)
        {
            var project = await grains.GetGrain<IProjectGrain>(projectId).GetAsync(sellerId);
            version = request.ProjectVersion ?? project.Version;
            if (version < 0 || version > project.Version)
            {
                throw DomainException.Invalid("projectVersion", $"projectVersion must be between 0 and the project's version {project.Version}.");
            }
        }

        var (listingId, jobId) = (Guid.NewGuid(), Guid.NewGuid());
        var listing = await grains.GetGrain<IListingGrain>(listingId).CreateAsync(sellerId, type, request.Details, jobId);
        if (type == ListingType.PresetPack)
        {
            return new ListingCreated(listing, null);
        }

        try
        {
            await jobs.StartAsync(sellerId, role, JobKind.ListingFiles,
                new ListingFilesInput(listingId, type, request.AssetId, request.AssetIds, request.ProjectId, version), jobId);
        }
        catch
        {
            await grains.GetGrain<IListingGrain>(listingId).SetStatusAsync(sellerId, ListingStatus.Removed);
            throw;
        }

        return new ListingCreated(listing, jobId);
    }

    public Task<ListingInfo> GetListingAsync(Guid listingId, Guid? viewerId) => grains.GetGrain<IListingGrain>(listingId).GetAsync(viewerId);

    public Task<ListingInfo> UpdateListingAsync(Guid sellerId, Guid listingId, ListingDetails details) => grains.GetGrain<IListingGrain>(listingId).UpdateAsync(sellerId, details);

    public async Task<ListingInfo> SetStatusAsync(Guid sellerId, Guid listingId, ListingStatus status)
    {
        if (status == ListingStatus.Published)
        {
            await gate.EnsureMayPublishAsync(sellerId);
        }

        return await grains.GetGrain<IListingGrain>(listingId).SetStatusAsync(sellerId, status);
    }

    public async Task<Uri> PreviewUrlAsync(Guid listingId, Guid? viewerId) =>
        await blobs.GetDownloadUrlAsync(await grains.GetGrain<IListingGrain>(listingId).GetPreviewKeyAsync(viewerId), TimeSpan.FromMinutes(15));

    public Task<CatalogPage<ListingSummary>> SearchAsync(string? q, string? type, string? genre, string? tag, double? bpmMin, double? bpmMax, string? key,
        string? currency, long? priceMin, long? priceMax, string? sort, Guid? sellerId, int first, string? after)
    {
        ListingType? kind = type is null ? null
            : Enum.TryParse<ListingType>(type, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(type[0]) ? parsed
            : throw DomainException.Invalid("type", "type is beat, samplePack, presetPack or stems.");
        var order = sort?.ToLowerInvariant() switch
        {
            null or "" or "relevance" => ListingSort.Relevance,
            "new" => ListingSort.New,
            "price" => ListingSort.PriceLow,
            "top" => ListingSort.Top,
            _ => throw DomainException.Invalid("sort", "sort is relevance, new, price or top."),
        };
        if (priceMin < 0 || priceMax < 0 || priceMin > priceMax || bpmMin > bpmMax || bpmMin is { } a && !double.IsFinite(a) || bpmMax is { } b && !double.IsFinite(b))
        {
            throw DomainException.Invalid("priceMin", "Ranges go from a smaller to a larger number, prices from 0.");
        }

        var code = currency?.ToUpperInvariant();
        if (code is not null && !MarketRules.Currencies.Contains(code))
        {
            throw DomainException.Invalid("currency", $"\"{currency}\" is not a currency the marketplace takes.");
        }

        if ((priceMin is not null || priceMax is not null) && code is null)
        {
            throw DomainException.Invalid("currency", "A price range needs its currency.");
        }

        return catalog.SearchListingsAsync(new ListingQuery(q, kind, ReleaseRules.Label(genre, "genre", 40), ReleaseRules.Label(tag, "tag"), bpmMin, bpmMax,
            ReleaseRules.Key(key), code, priceMin, priceMax, sellerId, order, first, after));
    }

    public Task<CatalogPage<ListingSummary>> SellerListingsAsync(Guid sellerId, Guid? viewerId, int first, string? after) =>
        viewerId == sellerId ? catalog.SellerListingsAsync(sellerId, first, after)
        : SearchAsync(null, null, null, null, null, null, null, null, null, null, "new", sellerId, first, after);

    public Task<ListingInfo> ReviewAsync(Guid buyerId, Guid listingId, int? stars, string? text) =>
        grains.GetGrain<IListingGrain>(listingId).ReviewAsync(buyerId, stars ?? 0, text);

    public async Task<CatalogPage<Review>> ReviewsAsync(Guid listingId, Guid? viewerId, int first, string? after)
    {
        await GetListingAsync(listingId, viewerId);
        return await catalog.ReviewsAsync(listingId, first, after);
    }

    public Task<OrderInfo> OrderAsync(Guid buyerId, Guid? listingId, Guid? tierId) =>
        grains.GetGrain<IOrderGrain>(Guid.NewGuid()).CreateAsync(buyerId, listingId ?? throw DomainException.Invalid("listingId", "listingId is required."),
            tierId ?? throw DomainException.Invalid("tierId", "tierId is required."));

    public Task<OrderInfo> GetOrderAsync(Guid orderId, OrderActor actor) => grains.GetGrain<IOrderGrain>(orderId).GetAsync(actor);

    public Task<CatalogPage<OrderInfo>> OrdersAsync(Guid userId, bool asSeller, int first, string? after) =>
        OrdersAsync(userId, asSeller, null, new OrderActor(userId, false), first, after);

    /// <summary>Everyone's orders (in a status when given), for an admin: the manual provider's payments to confirm.</summary>
    public Task<CatalogPage<OrderInfo>> AdminOrdersAsync(string? status, int first, string? after) =>
        OrdersAsync(null, false, status is null ? null : StatusOf(status), new OrderActor(Guid.Empty, true), first, after);

    private static OrderStatus StatusOf(string status) =>
        !int.TryParse(status, out _) && Enum.TryParse<OrderStatus>(status, ignoreCase: true, out var parsed)
            ? parsed
            : throw DomainException.Invalid("status", $"status is one of {string.Join(", ", Enum.GetNames<OrderStatus>().Select(n => n.ToLowerInvariant()))}.");

    private async Task<CatalogPage<OrderInfo>> OrdersAsync(Guid? userId, bool asSeller, OrderStatus? status, OrderActor actor, int first, string? after)
    {
        var page = await catalog.OrdersAsync(userId, asSeller, status, first, after);
        var orders = await Task.WhenAll(page.Items.Select(o => grains.GetGrain<IOrderGrain>(o.Id).GetAsync(actor)));
        return page.With(orders);
    }

    /// <summary>Marks an order paid through the manual provider: an admin confirming money received outside the platform.</summary>
    public async Task<OrderInfo> MarkPaidAsync(Guid orderId)
    {
        var order = await grains.GetGrain<IOrderGrain>(orderId).GetAsync(new OrderActor(Guid.Empty, true));
        if (order.Provider != "manual")
        {
            throw new DomainException(DomainErrorKind.Conflict, $"The order is paid through {order.Provider}; its provider confirms the payment.");
        }

        return await grains.GetGrain<IOrderGrain>(orderId).PaidAsync(new Payment("manual", $"manual_{orderId:N}", order.Tier.Price, order.Tier.Currency));
    }

    public Task<OrderInfo> CancelAsync(Guid orderId, OrderActor actor) => grains.GetGrain<IOrderGrain>(orderId).CancelAsync(actor);

    public Task<OrderInfo> RefundAsync(Guid orderId, OrderActor actor, string? reason) => grains.GetGrain<IOrderGrain>(orderId).RefundAsync(actor, reason ?? "Refunded.");

    public async Task<IReadOnlyList<DownloadLink>> DownloadAsync(Guid orderId, Guid buyerId)
    {
        var lifetime = options.Value.DownloadLinkLifetime;
        var expires = clock.GetUtcNow() + lifetime;
        var files = await grains.GetGrain<IOrderGrain>(orderId).DownloadAsync(buyerId);
        return await Task.WhenAll(files.Select(async f => new DownloadLink(f.Name, f.Format, f.Size, (await blobs.GetDownloadUrlAsync(f.BlobKey, lifetime)).ToString(), expires)));
    }

    public Task<IReadOnlyList<Guid>> AddToLibraryAsync(Guid orderId, Guid buyerId) => grains.GetGrain<IOrderGrain>(orderId).AddToLibraryAsync(buyerId);

    public Task<string> LicenseAsync(Guid orderId, OrderActor actor) => grains.GetGrain<IOrderGrain>(orderId).LicenseAsync(actor);

    public Task<IReadOnlyList<Balance>> BalanceAsync(Guid sellerId) =>
        catalog.BalancesAsync(MarketRules.SellerAccount(sellerId), clock.GetUtcNow() - options.Value.ClearingPeriod);

    public Task<string?> ConnectStripeAsync(Guid sellerId, string? accountId) => grains.GetGrain<IPayoutGrain>(sellerId).ConnectAsync(accountId);

    public Task<Payout> PayoutAsync(Guid sellerId, string? currency, long? amount) =>
        grains.GetGrain<IPayoutGrain>(sellerId).PayoutAsync(currency ?? throw DomainException.Invalid("currency", "currency is required."), amount);
}
