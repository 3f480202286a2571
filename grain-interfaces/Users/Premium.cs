using Jacameno.Common;
using Microsoft.Extensions.Options;

namespace Jacameno.Users;

/// <summary>Where a Premium subscription comes from.</summary>
public enum PremiumSource
{
    None,

    /// <summary>Granted by an admin until a date (development, gifts, bank transfers).</summary>
    Manual,

    /// <summary>A Stripe Billing subscription, kept in step by its webhooks.</summary>
    Stripe,
}

/// <summary>
/// A user's Premium: whether it is on now, from where, until when (the paid period's end, or an admin's date), and
/// for a subscription, Stripe's state and whether it renews. <see cref="GraceUntil"/> is set while a renewal's
/// payment failed: Premium stays on until then, so a card that expired does not cut anyone off at once.
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.premium-status")]
public sealed record PremiumStatus(
    [property: Id(0)] bool Active,
    [property: Id(1)] PremiumSource Source,
    [property: Id(2)] DateTimeOffset? Until,
    [property: Id(3)] string? Plan,
    [property: Id(4)] string? SubscriptionState,
    [property: Id(5)] bool Renews,
    [property: Id(6)] DateTimeOffset? GraceUntil);

/// <summary>What Stripe says about a subscription, from a <c>customer.subscription.*</c> event or a paid or failed invoice.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.subscription-update")]
public sealed record SubscriptionUpdate(
    [property: Id(0)] string CustomerId,
    [property: Id(1)] string SubscriptionId,
    [property: Id(2)] string Status,
    [property: Id(3)] DateTimeOffset PeriodEnd,
    [property: Id(4)] bool CancelAtPeriodEnd,
    [property: Id(5)] string? Plan,
    [property: Id(6)] DateTimeOffset EventAt = default);

/// <summary>Premium, section <c>Jacameno:Premium</c>: how it is sold, and the grace after a failed renewal.</summary>
public sealed class PremiumOptions
{
    public const string SectionName = "Jacameno:Premium";

    /// <summary><c>manual</c> (an admin grants it; the default) or <c>stripe</c> (Stripe Billing; the keys are the marketplace's).</summary>
    public string Provider { get; set; } = "manual";

    /// <summary>The Stripe price of the monthly plan (<c>price_…</c>).</summary>
    public string? MonthlyPriceId { get; set; }

    /// <summary>The Stripe price of the yearly plan.</summary>
    public string? YearlyPriceId { get; set; }

    /// <summary>How long Premium stays on after a renewal's payment failed, counted from the paid period's end. Default 7 days.</summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Where Stripe sends the buyer after paying, and back from the customer portal. Default <c>/settings/premium</c> on the public address.</summary>
    public string ReturnPath { get; set; } = "/settings/premium";

    public static readonly string[] Plans = ["monthly", "yearly"];

    public string? PriceOf(string plan) => plan switch
    {
        "monthly" => MonthlyPriceId,
        "yearly" => YearlyPriceId,
        _ => null,
    };
}

public sealed class PremiumOptionsValidator : IValidateOptions<PremiumOptions>
{
    public ValidateOptionsResult Validate(string? name, PremiumOptions o) => OptionChecks.Result(
        (o.Provider is "manual" or "stripe", "Jacameno:Premium:Provider is manual or stripe."),
        (o.Provider != "stripe" || (o.MonthlyPriceId is { Length: > 0 } && o.YearlyPriceId is { Length: > 0 }),
            "Jacameno:Premium:MonthlyPriceId and YearlyPriceId must be set when the provider is stripe."),
        (o.GracePeriod >= TimeSpan.Zero, "Jacameno:Premium:GracePeriod must not be negative."),
        (o.ReturnPath.StartsWith('/'), "Jacameno:Premium:ReturnPath must be a path starting with /."));
}

/// <summary>
/// Starts paying for Premium and managing it, at the provider: a Stripe Checkout session in subscription mode,
/// and Stripe's customer portal (change plan, card, cancel).
/// </summary>
public interface IPremiumBilling
{
    /// <summary>The page where <paramref name="userId"/> pays for <paramref name="plan"/> (monthly or yearly).</summary>
    Task<Uri> CheckoutAsync(Guid userId, string email, string plan, CancellationToken cancellationToken = default);

    /// <summary>The customer portal of the user's Stripe customer.</summary>
    Task<Uri> PortalAsync(string customerId, CancellationToken cancellationToken = default);
}
