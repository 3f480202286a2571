using Jacameno.Storage.Catalog;

namespace Jacameno.Marketplace;

/// <summary>A listing as search shows it. <see cref="Listed"/>: published (or sold exclusively, still shown as sold).</summary>
public sealed record ListingSummary(
    Guid Id, Guid SellerId, string Seller, ListingType Type, string Title, string? Description, string? Genre, IReadOnlyList<string> Tags,
    double? Bpm, string? Key, string? Currency, long? MinPrice, ListingStatus Status, bool Listed, DateTimeOffset CreatedAt, long Sales,
    double Rating, int Ratings);

public enum ListingSort
{
    Relevance,
    New,
    PriceLow,
    Top,
}

public sealed record ListingQuery(
    string? Text = null, ListingType? Type = null, string? Genre = null, string? Tag = null, double? BpmMin = null, double? BpmMax = null,
    string? Key = null, string? Currency = null, long? PriceMin = null, long? PriceMax = null, Guid? SellerId = null,
    ListingSort Sort = ListingSort.Relevance, int First = 20, string? After = null);

/// <summary>
/// A file of the loop library as the studio browses it: its pack, what it is played on, and what analysis found
/// (<see cref="Kind"/> "loop" with a tempo and beats, or "one-shot").
/// </summary>
public sealed record LoopSummary(
    Guid Id, Guid ListingId, int Index, string Name, string Pack, string Seller, string Instrument, double? Bpm, int? Beats, string? Key,
    double DurationSeconds, DateTimeOffset CreatedAt)
{
    public string Kind => Bpm is null ? "one-shot" : "loop";
}

/// <summary>Loops matching every given filter, newest pack first. <see cref="Text"/> matches a loop's name or its pack's title.</summary>
public sealed record LoopQuery(
    string? Text = null, string? Instrument = null, bool? IsLoop = null, string? Key = null, double? BpmMin = null, double? BpmMax = null,
    int First = 20, string? After = null);

/// <summary>An order as the buyer's and seller's lists show it.</summary>
public sealed record OrderSummary(Guid Id, Guid BuyerId, Guid SellerId, Guid ListingId, OrderStatus Status, DateTimeOffset CreatedAt, string? Payment = null);

public sealed record Review(Guid ListingId, Guid BuyerId, int Stars, string? Text, DateTimeOffset UpdatedAt);

/// <summary>
/// One leg of a money movement. Accounts: <c>payments</c> (what providers took from buyers), <c>platform</c> (fees),
/// <c>seller:{id}</c> (earnings), <c>payouts</c> (what went out to sellers). The legs of one movement sum to zero.
/// </summary>
public sealed record LedgerEntry(Guid Reference, string Kind, string Account, long Amount, string Currency, DateTimeOffset At);

/// <summary>An account's money in one currency: what cleared (payable), what is still clearing, and everything.</summary>
public sealed record Balance(string Currency, long Available, long Clearing);

/// <summary>
/// The marketplace's queryable side: listings, orders, licenses, reviews and the money ledger, kept by the listing and
/// order grains and read by the edge.
/// </summary>
public interface IMarketCatalog
{
    Task UpsertListingAsync(ListingSummary listing, CancellationToken cancellationToken = default);

    /// <summary>What a sale, a refund or a review changes of a listing's row; the text and its index stay as they are.</summary>
    Task UpdateListingStatsAsync(Guid listingId, ListingStatus status, bool listed, long sales, double rating, int ratings,
        CancellationToken cancellationToken = default);

    /// <summary>Listed listings matching every given filter; the price range is on the cheapest tier, in <see cref="ListingQuery.Currency"/>.</summary>
    Task<CatalogPage<ListingSummary>> SearchListingsAsync(ListingQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every listing of the seller (any state), newest first: for the seller's own dashboard.</summary>
    Task<CatalogPage<ListingSummary>> SellerListingsAsync(Guid sellerId, int first, string? after, CancellationToken cancellationToken = default);

    /// <summary>Replaces the library loops of a listing (none: it is no longer in the library, or not listed).</summary>
    Task SetLoopsAsync(Guid listingId, IReadOnlyList<LoopSummary> loops, CancellationToken cancellationToken = default);

    Task<CatalogPage<LoopSummary>> SearchLoopsAsync(LoopQuery query, CancellationToken cancellationToken = default);

    /// <summary>The library loop, while its pack is listed; null otherwise.</summary>
    Task<LoopSummary?> LoopAsync(Guid loopId, CancellationToken cancellationToken = default);

    Task UpsertOrderAsync(OrderSummary order, CancellationToken cancellationToken = default);

    /// <summary>
    /// Orders newest first: the user's as buyer (or, <paramref name="asSeller"/>, their sales); with no user, everyone's
    /// (for admins); only those in <paramref name="status"/> when given.
    /// </summary>
    Task<CatalogPage<OrderSummary>> OrdersAsync(Guid? userId, bool asSeller, OrderStatus? status, int first, string? after, CancellationToken cancellationToken = default);

    /// <summary>The order a provider's payment reference belongs to.</summary>
    Task<Guid?> OrderOfPaymentAsync(string reference, CancellationToken cancellationToken = default);

    /// <summary>Records a granted license (or, <paramref name="active"/> false, a revoked one).</summary>
    Task SetLicenseAsync(Guid orderId, Guid buyerId, Guid listingId, bool active, CancellationToken cancellationToken = default);

    Task<bool> HasLicenseAsync(Guid buyerId, Guid listingId, CancellationToken cancellationToken = default);

    /// <summary>Writes the buyer's review of the listing; returns the stars of the one it replaces, if any.</summary>
    Task<int?> UpsertReviewAsync(Review review, CancellationToken cancellationToken = default);

    Task<CatalogPage<Review>> ReviewsAsync(Guid listingId, int first, string? after, CancellationToken cancellationToken = default);

    /// <summary>
    /// Posts the legs of one movement in one transaction. They must sum to zero per currency. Posting the same
    /// (reference, kind, account) again changes nothing: returns false when the movement was already there.
    /// </summary>
    Task<bool> PostAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken = default);

    /// <summary>
    /// The account's balance per currency. Credits younger than <paramref name="clearedBefore"/> are still clearing,
    /// but never more than the account holds (a refund of a clearing sale takes it back from what is clearing);
    /// the rest is available, negative when the account owes (a refund after a payout).
    /// </summary>
    Task<IReadOnlyList<Balance>> BalancesAsync(string account, DateTimeOffset clearedBefore, CancellationToken cancellationToken = default);

    /// <summary>Every leg posted for a reference (an order or a payout), in posting order.</summary>
    Task<IReadOnlyList<LedgerEntry>> EntriesAsync(Guid reference, CancellationToken cancellationToken = default);

    /// <summary>Remembers a payment provider's event; false when it was handled before (a replay or a retry).</summary>
    Task<bool> FirstTimeAsync(string eventId, DateTimeOffset at, CancellationToken cancellationToken = default);
}
