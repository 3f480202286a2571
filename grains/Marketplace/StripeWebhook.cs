using Jacameno.Common;
using Jacameno.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace Jacameno.Marketplace;

/// <summary>
/// Stripe's events, verified by signature and timestamp. Every effect is idempotent in the order grain, so a
/// retried or repeated event changes nothing; one whose id was handled before is answered as a duplicate.
/// </summary>
public sealed partial class StripeWebhook(IGrainFactory grains, IMarketCatalog catalog, IOptions<MarketOptions> options, IOptions<PremiumOptions> premium,
    TimeProvider clock, ILogger<StripeWebhook> logger) : IStripeWebhook
{
    public async Task<WebhookResult> HandleAsync(string payload, string? signature, CancellationToken cancellationToken = default)
    {
        var stripe = options.Value.Stripe;
        if (stripe.WebhookSecret is not { Length: > 0 } secret)
        {
            return new WebhookResult(WebhookOutcome.NotConfigured, Detail: "Stripe is not configured here.");
        }

        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(payload, signature, secret, (long)stripe.WebhookTolerance.TotalSeconds, throwOnApiVersionMismatch: false);
        }
        catch (StripeException e)
        {
            return new WebhookResult(WebhookOutcome.BadSignature, Detail: $"The webhook's signature does not verify: {e.Message}");
        }

        if (await SubscriptionEventAsync(stripeEvent) is { } subscription)
        {
            return subscription;
        }

        Guid? orderId;
        Func<IOrderGrain, Task> apply;
        switch (stripeEvent.Data.Object)
        {
            // A completed checkout is paid only when Stripe says so: with a delayed method (a bank debit) it completes
            // "unpaid", and the money arrives, or not, in a later async_payment event.
            case Stripe.Checkout.Session session when stripeEvent.Type == EventTypes.CheckoutSessionCompleted && session.PaymentStatus != "paid":
                return new WebhookResult(WebhookOutcome.Ignored, stripeEvent.Type, PaymentStatus: session.PaymentStatus);
            case Stripe.Checkout.Session session when stripeEvent.Type is EventTypes.CheckoutSessionCompleted or EventTypes.CheckoutSessionAsyncPaymentSucceeded:
                orderId = Guid.TryParse(session.ClientReferenceId, out var id) ? id : null;
                apply = order => order.PaidAsync(new Payment("stripe", session.PaymentIntentId ?? session.Id, session.AmountTotal ?? 0, session.Currency ?? ""));
                break;
            case Stripe.Checkout.Session session when stripeEvent.Type == EventTypes.CheckoutSessionAsyncPaymentFailed:
                orderId = Guid.TryParse(session.ClientReferenceId, out var failedId) ? failedId : null;
                apply = order => order.PaymentFailedAsync("The payment failed at Stripe.");
                break;
            case Charge charge when stripeEvent.Type == EventTypes.ChargeRefunded:
                orderId = await catalog.OrderOfPaymentAsync(charge.PaymentIntentId ?? "", cancellationToken);
                apply = order => order.ChargebackAsync("Refunded through Stripe.");
                break;
            case Dispute dispute when stripeEvent.Type == EventTypes.ChargeDisputeCreated:
                orderId = await catalog.OrderOfPaymentAsync(dispute.PaymentIntentId ?? "", cancellationToken);
                apply = order => order.ChargebackAsync($"Disputed by the buyer ({dispute.Reason}).");
                break;
            default:
                return new WebhookResult(WebhookOutcome.Ignored, stripeEvent.Type);
        }

        if (orderId is not { } known)
        {
            return new WebhookResult(WebhookOutcome.UnknownOrder, stripeEvent.Type, "The event names no order of this platform.");
        }

        try
        {
            await grains.GetGrain<IOrderGrain>(known).GetAsync(new OrderActor(Guid.Empty, true));
        }
        catch (DomainException)
        {
            return new WebhookResult(WebhookOutcome.UnknownOrder, stripeEvent.Type, $"There is no order {known}.");
        }

        await apply(grains.GetGrain<IOrderGrain>(known));
        var first = await catalog.FirstTimeAsync($"stripe:{stripeEvent.Id}", clock.GetUtcNow(), cancellationToken);
        LogWebhook(logger, stripeEvent.Type, stripeEvent.Id, known, !first);
        return new WebhookResult(WebhookOutcome.Handled, stripeEvent.Type, Duplicate: !first);
    }

    /// <summary>
    /// Premium's events: a subscription created, changed or ended, and its invoices paid or failed. Each names its
    /// user through the metadata the checkout put on the subscription. Null for events that are not about Premium.
    /// </summary>
    private async Task<WebhookResult?> SubscriptionEventAsync(Event stripeEvent)
    {
        string? userKey;
        SubscriptionUpdate update;
        switch (stripeEvent.Data.Object)
        {
            // The subscription's own events say all; the completed checkout that made it adds nothing.
            case Stripe.Checkout.Session { Mode: "subscription" }:
                return new WebhookResult(WebhookOutcome.Ignored, stripeEvent.Type);
            case Subscription sub when stripeEvent.Type is EventTypes.CustomerSubscriptionCreated or EventTypes.CustomerSubscriptionUpdated
                or EventTypes.CustomerSubscriptionDeleted:
                userKey = sub.Metadata?.GetValueOrDefault(StripePremiumBilling.UserIdKey);
                update = new SubscriptionUpdate(sub.CustomerId ?? "", sub.Id, stripeEvent.Type == EventTypes.CustomerSubscriptionDeleted ? "canceled" : sub.Status,
                    sub.Items?.Data.Select(i => (DateTimeOffset?)new DateTimeOffset(i.CurrentPeriodEnd, TimeSpan.Zero)).Max() ?? clock.GetUtcNow(),
                    sub.CancelAtPeriodEnd, sub.Metadata?.GetValueOrDefault("plan"));
                break;
            case Invoice invoice when stripeEvent.Type is EventTypes.InvoicePaid or EventTypes.InvoicePaymentFailed
                && invoice.Parent?.SubscriptionDetails is { } details:
                userKey = details.Metadata?.GetValueOrDefault(StripePremiumBilling.UserIdKey);
                update = new SubscriptionUpdate(invoice.CustomerId ?? "", details.SubscriptionId ?? "", stripeEvent.Type == EventTypes.InvoicePaid ? "active" : "past_due",
                    invoice.Lines?.Data.Select(l => (DateTimeOffset?)new DateTimeOffset(l.Period.End, TimeSpan.Zero)).Max() ?? clock.GetUtcNow(),
                    false, details.Metadata?.GetValueOrDefault("plan"));
                break;
            default:
                return null;
        }

        if (!Guid.TryParse(userKey, out var userId))
        {
            return new WebhookResult(WebhookOutcome.UnknownOrder, stripeEvent.Type, "The subscription names no user of this platform.");
        }

        var user = grains.GetGrain<IUserGrain>(userId);
        try
        {
            await user.GetProfileAsync();
        }
        catch (DomainException)
        {
            return new WebhookResult(WebhookOutcome.UnknownOrder, stripeEvent.Type, $"There is no user {userId}.");
        }

        // Applied before it is marked seen, so a failure here is retried by Stripe; the user grain ignores events older than
        // the last it applied, so a repeat or a late one changes nothing.
        await user.ApplySubscriptionAsync(update with { EventAt = new DateTimeOffset(stripeEvent.Created, TimeSpan.Zero) }, premium.Value.GracePeriod);
        var first = await catalog.FirstTimeAsync($"stripe:{stripeEvent.Id}", clock.GetUtcNow());

        LogSubscription(logger, stripeEvent.Type, stripeEvent.Id, userId, update.Status, !first);
        return new WebhookResult(WebhookOutcome.Handled, stripeEvent.Type, Duplicate: !first);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe {Type} {EventId} for the Premium of user {UserId}: {Status} (repeat: {Repeat})")]
    private static partial void LogSubscription(ILogger logger, string type, string eventId, Guid userId, string status, bool repeat);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe {Type} {EventId} for order {OrderId} (repeat: {Repeat})")]
    private static partial void LogWebhook(ILogger logger, string type, string eventId, Guid orderId, bool repeat);
}
