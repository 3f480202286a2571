namespace Jacameno.Marketplace;

/// <summary>How a payment provider's event ended; the edge turns it into an HTTP answer.</summary>
public enum WebhookOutcome
{
    /// <summary>Applied to its order (or recognised as a repeat).</summary>
    Handled,

    /// <summary>Valid, but nothing to do: a kind the platform does not use, or a payment still on its way.</summary>
    Ignored,

    /// <summary>The provider is not configured on this platform.</summary>
    NotConfigured,

    /// <summary>The signature or its timestamp does not verify.</summary>
    BadSignature,

    /// <summary>The event names no order of this platform.</summary>
    UnknownOrder,
}

/// <summary>What a webhook call did: the outcome, the event's type, and a reason for the refusals.</summary>
public sealed record WebhookResult(WebhookOutcome Outcome, string? EventType = null, string? Detail = null, bool Duplicate = false, string? PaymentStatus = null);

/// <summary>
/// Stripe's signed events (checkout completed or settled, refunds, disputes), applied to orders. A service where the
/// request arrives rather than a grain: the signature is over the raw body, which the edge hands over unparsed.
/// </summary>
public interface IStripeWebhook
{
    Task<WebhookResult> HandleAsync(string payload, string? signature, CancellationToken cancellationToken = default);
}
