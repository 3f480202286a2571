using Jacameno.Common;
using Microsoft.Extensions.Options;
using Stripe;

namespace Jacameno.Marketplace;

[GenerateSerializer, Alias("jacameno.payout-state")]
public sealed class PayoutState
{
    [Id(0)] public string? StripeAccountId { get; set; }
}

public sealed class PayoutGrain(
    [PersistentState("payouts", StorageNames.Grains)] IPersistentState<PayoutState> state,
    IMarketCatalog market,
    IOptions<MarketOptions> options,
    TimeProvider clock) : Grain, IPayoutGrain
{
    public async Task<string?> ConnectAsync(string? stripeAccountId)
    {
        if (stripeAccountId is not null && !System.Text.RegularExpressions.Regex.IsMatch(stripeAccountId, "^acct_[A-Za-z0-9]{1,64}$"))
        {
            throw DomainException.Invalid("stripeAccountId", "A Stripe connected account id looks like acct_1A2b3C.");
        }

        state.State.StripeAccountId = stripeAccountId;
        await state.WriteStateAsync();
        return stripeAccountId;
    }

    public async Task<Payout> PayoutAsync(string currency, long? amount)
    {
        var code = (currency ?? "").ToUpperInvariant();
        var account = MarketRules.SellerAccount(this.GetPrimaryKey());
        var now = clock.GetUtcNow();
        var available = (await market.BalancesAsync(account, now - options.Value.ClearingPeriod)).FirstOrDefault(b => b.Currency == code)?.Available ?? 0;
        var pay = amount ?? available;
        if (pay <= 0 || pay > available)
        {
            throw DomainException.Invalid("amount", $"{available} {code} has cleared and can be paid out; ask for 1 to {available}.");
        }

        var id = Guid.NewGuid();
        string? reference = null;
        var stripe = options.Value.Stripe;
        if (options.Value.Provider == "stripe" && state.State.StripeAccountId is { } destination)
        {
            // The transfer comes first: if Stripe refuses, nothing is posted and the balance stays.
            var transfer = await new TransferService(new StripeClient(stripe.SecretKey, apiBase: stripe.ApiBase)).CreateAsync(new TransferCreateOptions
            {
                Amount = pay, Currency = code.ToLowerInvariant(), Destination = destination, TransferGroup = $"payout-{id:N}",
            }, new RequestOptions { IdempotencyKey = $"payout-{id:N}" });
            reference = transfer.Id;
        }

        await market.PostAsync([new LedgerEntry(id, "payout", account, -pay, code, now), new LedgerEntry(id, "payout", "payouts", pay, code, now)]);
        return new Payout(id, pay, code, "paid", now, reference is null ? "manual" : "stripe", reference);
    }
}
