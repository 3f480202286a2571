using Jacameno.Common;
using Jacameno.Hosting;
using Jacameno.Marketplace;
using Microsoft.Extensions.Options;
using Stripe;

namespace Jacameno.Users;

/// <summary>
/// Premium through Stripe Billing (Stripe.net, the marketplace's keys): Checkout in subscription mode with the
/// plan's configured price, and the customer portal. The subscription carries the user's id as metadata, so every
/// later <c>customer.subscription.*</c> and invoice event finds its user (<see cref="StripeWebhook"/>).
/// </summary>
public sealed class StripePremiumBilling(IGrainFactory grains, IOptions<MarketOptions> market, IOptions<PremiumOptions> premium, IOptions<JacamenoOptions> platform)
    : IPremiumBilling
{
    public const string UserIdKey = "user_id";

    private readonly Lazy<StripeClient> client = new(() =>
        new StripeClient(market.Value.Stripe.SecretKey ?? throw new DomainException(DomainErrorKind.Conflict, "Stripe is not configured (Jacameno:Marketplace:Stripe:SecretKey)."),
            apiBase: market.Value.Stripe.ApiBase));

    private Uri ReturnUrl => new(platform.Value.PublicUrl, premium.Value.ReturnPath);

    public async Task<Uri> CheckoutAsync(Guid userId, string email, string plan, CancellationToken cancellationToken = default)
    {
        var o = premium.Value;
        if (o.Provider != "stripe")
        {
            throw new DomainException(DomainErrorKind.Conflict, "Premium is not sold here yet; an admin can grant it.");
        }

        var price = o.PriceOf(plan) ?? throw DomainException.Invalid("plan", "plan is monthly or yearly.");
        var user = userId.ToString();
        var customer = await grains.GetGrain<IUserGrain>(userId).GetBillingCustomerAsync();
        var session = await new Stripe.Checkout.SessionService(client.Value).CreateAsync(new Stripe.Checkout.SessionCreateOptions
        {
            Mode = "subscription",
            ClientReferenceId = user,
            Customer = customer,
            CustomerEmail = customer is null ? email : null,
            LineItems = [new Stripe.Checkout.SessionLineItemOptions { Price = price, Quantity = 1 }],
            Metadata = new Dictionary<string, string> { [UserIdKey] = user },
            SubscriptionData = new Stripe.Checkout.SessionSubscriptionDataOptions { Metadata = new Dictionary<string, string> { [UserIdKey] = user, ["plan"] = plan } },
            SuccessUrl = ReturnUrl + "?checkout=done",
            CancelUrl = ReturnUrl + "?checkout=cancelled",
        }, cancellationToken: cancellationToken);
        return new Uri(session.Url);
    }

    public async Task<Uri> PortalAsync(string customerId, CancellationToken cancellationToken = default)
    {
        var session = await new Stripe.BillingPortal.SessionService(client.Value).CreateAsync(
            new Stripe.BillingPortal.SessionCreateOptions { Customer = customerId, ReturnUrl = ReturnUrl.ToString() }, cancellationToken: cancellationToken);
        return new Uri(session.Url);
    }
}
