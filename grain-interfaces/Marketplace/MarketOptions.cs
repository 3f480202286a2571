using Jacameno.Common;
using Microsoft.Extensions.Options;

namespace Jacameno.Marketplace;

/// <summary>Marketplace settings, section <c>Jacameno:Marketplace</c> (README).</summary>
public sealed class MarketOptions
{
    public const string SectionName = "Jacameno:Marketplace";

    /// <summary>The platform's fee on each sale: a percentage of the price plus a fixed amount (minor units). Defaults 10 % + 0.</summary>
    public decimal FeePercent { get; set; } = 10;

    public long FeeFixed { get; set; }

    /// <summary>How long a seller's earnings clear before they can be paid out. Default 7 days.</summary>
    public TimeSpan ClearingPeriod { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long after a sale its seller may refund it (admins any time). Default 14 days.</summary>
    public TimeSpan RefundWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long an unpaid order holds its tier (an exclusive against other buyers). Default 30 minutes.</summary>
    public TimeSpan OrderHold { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Downloads per order (each call of the download endpoint spends one). Default 10.</summary>
    public int DownloadsPerOrder { get; set; } = 10;

    /// <summary>How long a download link works. Default 1 hour.</summary>
    public TimeSpan DownloadLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How often an order's reminder checks it (expiry, an unfinished grant). Default 1 minute (Orleans' least).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The payment provider for paid tiers: <c>manual</c> (embedded default; an admin marks orders paid) or <c>stripe</c>.</summary>
    public string Provider { get; set; } = "manual";

    public StripeOptions Stripe { get; set; } = new();

    /// <summary>The platform's fee on <paramref name="price"/>, never more than the price.</summary>
    public long FeeOf(long price) => price == 0 ? 0 : Math.Min(price, (long)Math.Round(price * FeePercent / 100, MidpointRounding.AwayFromZero) + FeeFixed);
}

/// <summary>Stripe Checkout and its webhooks.</summary>
public sealed class StripeOptions
{
    public string? SecretKey { get; set; }

    /// <summary>The signing secret of the webhook endpoint (<c>whsec_…</c>).</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Where Checkout sends the buyer back; <c>{orderId}</c> is replaced.</summary>
    public string SuccessUrl { get; set; } = "http://localhost:5080/market/orders/{orderId}";

    public string CancelUrl { get; set; } = "http://localhost:5080/market/orders/{orderId}?cancelled=1";

    /// <summary>The Stripe API's address; only tests change it.</summary>
    public string? ApiBase { get; set; }

    /// <summary>How old a webhook's signed timestamp may be. Default 5 minutes (Stripe's own default).</summary>
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed class MarketOptionsValidator : IValidateOptions<MarketOptions>
{
    public ValidateOptionsResult Validate(string? name, MarketOptions o) => OptionChecks.Result(
        (o.FeePercent is >= 0 and <= 100, "Jacameno:Marketplace:FeePercent must be between 0 and 100."),
        (o.FeeFixed >= 0, "Jacameno:Marketplace:FeeFixed must not be negative."),
        (o.ClearingPeriod >= TimeSpan.Zero && o.RefundWindow >= TimeSpan.Zero, "Jacameno:Marketplace:ClearingPeriod and RefundWindow must not be negative."),
        (o.OrderHold > TimeSpan.Zero && o.DownloadLinkLifetime > TimeSpan.Zero && o.ReminderPeriod > TimeSpan.Zero,
            "Jacameno:Marketplace:OrderHold, DownloadLinkLifetime and ReminderPeriod must be positive."),
        (o.DownloadsPerOrder > 0, "Jacameno:Marketplace:DownloadsPerOrder must be positive."),
        (o.Provider is "manual" or "stripe", "Jacameno:Marketplace:Provider must be manual or stripe."),
        (o.Stripe.WebhookTolerance > TimeSpan.Zero, "Jacameno:Marketplace:Stripe:WebhookTolerance must be positive."));
}

