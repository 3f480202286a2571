namespace Jacameno.Marketplace;

/// <summary>
/// A payout as the seller sees it: a Stripe Connect transfer to the seller's connected account (its id in
/// <see cref="Reference"/>) when Stripe is the provider and the seller connected one; otherwise paid by the
/// manual provider (the money leaves outside the platform).
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.payout")]
public sealed record Payout(
    [property: Id(0)] Guid Id,
    [property: Id(1)] long Amount,
    [property: Id(2)] string Currency,
    [property: Id(3)] string Status,
    [property: Id(4)] DateTimeOffset At,
    [property: Id(5)] string Provider = "manual",
    [property: Id(6)] string? Reference = null);

/// <summary>One seller's payouts, keyed by seller id: serializes them, so the balance paid out is never paid twice.</summary>
[Alias("jacameno.payout-grain")]
public interface IPayoutGrain : IGrainWithGuidKey
{
    /// <summary>Pays out <paramref name="amount"/> (all that cleared when null) of the seller's balance in <paramref name="currency"/>.</summary>
    [Alias("payout")]
    Task<Payout> PayoutAsync(string currency, long? amount);

    /// <summary>The seller's Stripe connected account (<c>acct_…</c>) payouts are transferred to; null to stop.</summary>
    [Alias("connect")]
    Task<string?> ConnectAsync(string? stripeAccountId);
}
