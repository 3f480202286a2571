namespace Jacameno.Marketplace;

public enum OrderStatus
{
    /// <summary>Waiting for the buyer to pay (the payment session is open).</summary>
    Pending,

    /// <summary>Paid; the license is being granted (a moment, or until a restart's reminder finishes it).</summary>
    Paid,

    /// <summary>The license is the buyer's; files can be downloaded.</summary>
    Completed,

    /// <summary>Never paid: expired, cancelled, or an exclusive went to another order first.</summary>
    Cancelled,

    /// <summary>Paid back: downloads are revoked and the ledger entries reversed.</summary>
    Refunded,
}

/// <summary>A payment the provider confirmed: its reference there, the amount and currency it took.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.payment")]
public sealed record Payment(
    [property: Id(0)] string Provider,
    [property: Id(1)] string Reference,
    [property: Id(2)] long Amount,
    [property: Id(3)] string Currency);

/// <summary>An order as its buyer, its seller or an admin sees it.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.order")]
public sealed record OrderInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid BuyerId,
    [property: Id(2)] Guid SellerId,
    [property: Id(3)] Guid ListingId,
    [property: Id(4)] string ListingTitle,
    [property: Id(5)] LicenseTier Tier,
    [property: Id(6)] OrderStatus Status,
    [property: Id(7)] string Provider,
    [property: Id(8)] string? CheckoutUrl,
    [property: Id(9)] string? Reason,
    [property: Id(10)] int DownloadsLeft,
    [property: Id(11)] DateTimeOffset CreatedAt,
    [property: Id(12)] DateTimeOffset ExpiresAt,
    [property: Id(13)] DateTimeOffset? PaidAt,
    [property: Id(14)] DateTimeOffset? CompletedAt,
    [property: Id(15)] DateTimeOffset? RefundedAt);

/// <summary>A file the buyer may download now, by its blob key (the frontend signs a short-lived URL to it).</summary>
[GenerateSerializer, Immutable, Alias("jacameno.download")]
public sealed record Download(
    [property: Id(0)] string Name,
    [property: Id(1)] DeliveredFormat Format,
    [property: Id(2)] long Size,
    [property: Id(3)] string BlobKey);

/// <summary>Who acts on an order, and with what role: refunds are for the seller (within the window) and admins.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.order-actor")]
public sealed record OrderActor(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] bool IsAdmin);

/// <summary>
/// One purchase of one listing tier, keyed by order id: its payment session, payment, license grant,
/// downloads and refund. Every step is idempotent, and a reminder finishes what a crash interrupted: an
/// unpaid order expires, a paid one is granted exactly once.
/// </summary>
[Alias("jacameno.order-grain")]
public interface IOrderGrain : IGrainWithGuidKey
{
    /// <summary>Reserves the tier on the listing and opens a payment session (none for a free tier, which completes at once).</summary>
    [Alias("create")]
    Task<OrderInfo> CreateAsync(Guid buyerId, Guid listingId, Guid tierId);

    /// <summary>The order, for its buyer, its seller or an admin; not found for anyone else.</summary>
    [Alias("get")]
    Task<OrderInfo> GetAsync(OrderActor actor);

    /// <summary>The provider says the order was paid. Idempotent; a payment that does not match the order is refused.</summary>
    [Alias("paid")]
    Task<OrderInfo> PaidAsync(Payment payment);

    /// <summary>
    /// The provider says the payment failed (a delayed method such as a bank debit was declined): an unpaid order
    /// ends and its tier is free again. Idempotent; an order that is no longer unpaid is left as it is.
    /// </summary>
    [Alias("payment-failed")]
    Task<OrderInfo> PaymentFailedAsync(string reason);

    /// <summary>The buyer gives up an unpaid order.</summary>
    [Alias("cancel")]
    Task<OrderInfo> CancelAsync(OrderActor actor);

    /// <summary>
    /// Refunds a completed order (an admin any time; the seller within the refund window; the provider after a
    /// dispute, as <see cref="OrderActor.IsAdmin"/>): downloads end and the ledger entries are reversed.
    /// </summary>
    [Alias("refund")]
    Task<OrderInfo> RefundAsync(OrderActor actor, string reason);

    /// <summary>The provider took the money back (a dispute or a refund made there): as a refund, without asking the provider.</summary>
    [Alias("chargeback")]
    Task<OrderInfo> ChargebackAsync(string reason);

    /// <summary>Another order took the exclusive first: an unpaid order is cancelled, a paid one refunded.</summary>
    [Alias("superseded")]
    Task SupersededAsync();

    /// <summary>The files the buyer may download now; each call spends one of the order's downloads.</summary>
    [Alias("download")]
    Task<IReadOnlyList<Download>> DownloadAsync(Guid buyerId);

    /// <summary>
    /// Puts the tier's audio files in the buyer's library as their assets, each carrying this order as its license,
    /// which then travels into their projects and renders. Idempotent: the same assets come back.
    /// </summary>
    [Alias("library")]
    Task<IReadOnlyList<Guid>> AddToLibraryAsync(Guid buyerId);

    /// <summary>As <see cref="AddToLibraryAsync"/>, for one of the files (by its blob key): a loop taken from the loop library.</summary>
    [Alias("library-file")]
    Task<Guid> AddFileToLibraryAsync(Guid buyerId, string blobKey);

    /// <summary>The license document: the terms, the buyer, the seller, the date and the order, as plain text.</summary>
    [Alias("license")]
    Task<string> LicenseAsync(OrderActor actor);
}
