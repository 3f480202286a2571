using Jacameno.Common;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace Jacameno.Marketplace;

/// <summary>What a payment session is for.</summary>
public sealed record Checkout(Guid OrderId, string Title, long Amount, string Currency);

/// <summary>Where the buyer pays: the provider's session id, and the page to send them to (none for the manual provider).</summary>
public sealed record PaymentSession(string SessionId, string? CheckoutUrl);

/// <summary>A way to take payments; orders use the one <see cref="MarketOptions.Provider"/> names.</summary>
public interface IPaymentProvider
{
    string Name { get; }

    Task<PaymentSession> StartAsync(Checkout checkout, CancellationToken cancellationToken = default);

    /// <summary>Pays the whole payment back to the buyer.</summary>
    Task RefundAsync(Payment payment, CancellationToken cancellationToken = default);
}

/// <summary>
/// Embedded mode and tests: no money moves here. An admin marks an order paid (<c>POST /api/admin/orders/{id}/paid</c>),
/// as a bank transfer or cash would be confirmed; refunds are made outside the same way.
/// </summary>
public sealed class ManualPayments : IPaymentProvider
{
    public string Name => "manual";

    public Task<PaymentSession> StartAsync(Checkout checkout, CancellationToken cancellationToken = default) =>
        Task.FromResult(new PaymentSession($"manual_{checkout.OrderId:N}", null));

    public Task RefundAsync(Payment payment, CancellationToken cancellationToken = default) => Task.CompletedTask;
}

/// <summary>Stripe Checkout Sessions (Stripe.net); payment arrives by the signed webhook, refunds through the Refunds API.</summary>
public sealed class StripePayments(IOptions<MarketOptions> options) : IPaymentProvider
{
    private readonly Lazy<StripeClient> client = new(() =>
    {
        var stripe = options.Value.Stripe;
        return new StripeClient(stripe.SecretKey ?? throw new DomainException(DomainErrorKind.Conflict, "Stripe is not configured (Jacameno:Marketplace:Stripe:SecretKey)."),
            apiBase: stripe.ApiBase);
    });

    public string Name => "stripe";

    public async Task<PaymentSession> StartAsync(Checkout checkout, CancellationToken cancellationToken = default)
    {
        var stripe = options.Value.Stripe;
        var order = checkout.OrderId.ToString();
        var session = await new SessionService(client.Value).CreateAsync(new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = order,
            Metadata = new Dictionary<string, string> { ["order_id"] = order },
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = new Dictionary<string, string> { ["order_id"] = order } },
            LineItems =
            [
                new SessionLineItemOptions
                {
                    Quantity = 1,
                    PriceData = new SessionLineItemPriceDataOptions
                    {
                        Currency = checkout.Currency.ToLowerInvariant(),
                        UnitAmount = checkout.Amount,
                        ProductData = new SessionLineItemPriceDataProductDataOptions { Name = checkout.Title },
                    },
                },
            ],
            SuccessUrl = stripe.SuccessUrl.Replace("{orderId}", order, StringComparison.Ordinal),
            CancelUrl = stripe.CancelUrl.Replace("{orderId}", order, StringComparison.Ordinal),
        }, new RequestOptions { IdempotencyKey = $"checkout-{order}" }, cancellationToken);
        return new PaymentSession(session.Id, session.Url);
    }

    public async Task RefundAsync(Payment payment, CancellationToken cancellationToken = default) =>
        await new RefundService(client.Value).CreateAsync(new RefundCreateOptions { PaymentIntent = payment.Reference },
            new RequestOptions { IdempotencyKey = $"refund-{payment.Reference}" }, cancellationToken);
}
