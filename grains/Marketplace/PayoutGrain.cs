using Jacameno.Common;
using Microsoft.Extensions.Options;

namespace Jacameno.Marketplace;

/// <summary>A payout as the seller sees it: paid at once by the manual provider (the money leaves outside the platform).</summary>
[GenerateSerializer, Immutable, Alias("jacameno.payout")]
public sealed record Payout(
    [property: Id(0)] Guid Id,
    [property: Id(1)] long Amount,
    [property: Id(2)] string Currency,
    [property: Id(3)] string Status,
    [property: Id(4)] DateTimeOffset At);

/// <summary>One seller's payouts, keyed by seller id: serializes them, so the balance paid out is never paid twice.</summary>
[Alias("jacameno.payout-grain")]
public interface IPayoutGrain : IGrainWithGuidKey
{
    /// <summary>Pays out <paramref name="amount"/> (all that cleared when null) of the seller's balance in <paramref name="currency"/>.</summary>
    [Alias("payout")]
    Task<Payout> PayoutAsync(string currency, long? amount);
}

public sealed class PayoutGrain(MarketCatalog market, IOptions<MarketOptions> options, TimeProvider clock) : Grain, IPayoutGrain
{
    public async Task<Payout> PayoutAsync(string currency, long? amount)
    {
        var code = (currency ?? "").ToUpperInvariant();
        var account = OrderGrain.SellerAccount(this.GetPrimaryKey());
        var now = clock.GetUtcNow();
        var available = (await market.BalancesAsync(account, now - options.Value.ClearingPeriod)).FirstOrDefault(b => b.Currency == code)?.Available ?? 0;
        var pay = amount ?? available;
        if (pay <= 0 || pay > available)
        {
            throw DomainException.Invalid("amount", $"{available} {code} has cleared and can be paid out; ask for 1 to {available}.");
        }

        var id = Guid.NewGuid();
        await market.PostAsync([new LedgerEntry(id, "payout", account, -pay, code, now), new LedgerEntry(id, "payout", "payouts", pay, code, now)]);
        return new Payout(id, pay, code, "paid", now);
    }
}
