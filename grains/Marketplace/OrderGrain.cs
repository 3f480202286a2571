using Jacameno.Insights;
using System.Globalization;
using System.Text;
using Jacameno.Assets;
using Jacameno.Common;
using Jacameno.Storage.Blobs;
using Jacameno.Streaming;
using Jacameno.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jacameno.Marketplace;

[GenerateSerializer, Alias("jacameno.order-state")]
public sealed class OrderState
{
    [Id(0)] public Guid BuyerId { get; set; }
    [Id(1)] public Guid ListingId { get; set; }
    [Id(2)] public Reservation Reservation { get; set; } = null!;
    [Id(3)] public OrderStatus Status { get; set; }
    [Id(4)] public string Provider { get; set; } = "";
    [Id(5)] public string? SessionId { get; set; }
    [Id(6)] public string? CheckoutUrl { get; set; }
    [Id(7)] public Payment? Payment { get; set; }
    [Id(8)] public string? Reason { get; set; }
    [Id(9)] public int DownloadsUsed { get; set; }
    [Id(10)] public DateTimeOffset CreatedAt { get; set; }
    [Id(11)] public DateTimeOffset ExpiresAt { get; set; }
    [Id(12)] public DateTimeOffset? PaidAt { get; set; }
    [Id(13)] public DateTimeOffset? CompletedAt { get; set; }
    [Id(14)] public DateTimeOffset? RefundedAt { get; set; }
    [Id(15)] public string Buyer { get; set; } = "";
}

/// <summary>
/// One order; see <see cref="IOrderGrain"/>. The payment is written before anything else happens to it, and every
/// step of the grant after (the listing's sale, the ledger, the license, the seller's notice) is idempotent, so a
/// silo lost in between leaves a Paid order that the next webhook retry or this grain's reminder completes once.
/// </summary>
public sealed partial class OrderGrain(
    [PersistentState("order", StorageNames.Grains)] IPersistentState<OrderState> state,
    IMarketCatalog market,
    IStreamingCatalog social,
    IEnumerable<IPaymentProvider> providers,
    IBlobStore blobs,
    IOptions<MarketOptions> options,
    IOptions<AssetOptions> assetOptions,
    TimeProvider clock,
    ILogger<OrderGrain> logger) : Grain, IOrderGrain, IRemindable
{
    private const string Reminder = "order";

    private OrderState S => state.State;

    private Guid Id => this.GetPrimaryKey();

    private IListingGrain Listing => GrainFactory.GetGrain<IListingGrain>(S.ListingId);

    private MarketOptions Options => options.Value;

    public async Task<OrderInfo> CreateAsync(Guid buyerId, Guid listingId, Guid tierId)
    {
        if (state.RecordExists)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The order already exists.");
        }

        var now = clock.GetUtcNow();
        var reservation = await GrainFactory.GetGrain<IListingGrain>(listingId).ReserveAsync(Id, buyerId, tierId, now + Options.OrderHold);
        var tier = reservation.Tier;
        var provider = tier.Price == 0 ? "free" : Provider().Name;
        state.State = new OrderState
        {
            BuyerId = buyerId, ListingId = listingId, Reservation = reservation, Status = OrderStatus.Pending, Provider = provider,
            CreatedAt = now, ExpiresAt = now + Options.OrderHold,
            Buyer = (await GrainFactory.GetGrain<IUserGrain>(buyerId).GetProfileAsync()).DisplayName,
        };
        await SaveAsync();
        if (tier.Price == 0)
        {
            return await PaidAsync(new Payment("free", $"free_{Id:N}", 0, tier.Currency));
        }

        await this.RegisterOrUpdateReminder(Reminder, Options.ReminderPeriod, Options.ReminderPeriod);
        try
        {
            var session = await Provider().StartAsync(new Checkout(Id, $"{reservation.ListingTitle} ({tier.Name})", tier.Price, tier.Currency));
            (S.SessionId, S.CheckoutUrl) = (session.SessionId, session.CheckoutUrl);
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            // No checkout, no order: the hold goes at once instead of when it would have expired.
            LogProviderFailed(logger, e, Id);
            await EndUnpaidAsync(e is DomainException ? e.Message : "The payment provider could not open a checkout; nothing was charged. Try again.");
            throw e as DomainException ?? new DomainException(DomainErrorKind.Conflict, S.Reason!);
        }

        return Info();
    }

    public Task<OrderInfo> GetAsync(OrderActor actor)
    {
        Authorize(actor, allowSeller: true);
        return Task.FromResult(Info());
    }

    public async Task<OrderInfo> PaidAsync(Payment payment)
    {
        if (!state.RecordExists)
        {
            throw DomainException.NotFound("The order");
        }

        if (payment.Amount != S.Reservation.Tier.Price || !string.Equals(payment.Currency, S.Reservation.Tier.Currency, StringComparison.OrdinalIgnoreCase))
        {
            throw DomainException.Invalid("payment", $"The payment ({payment.Amount} {payment.Currency}) does not match the order ({S.Reservation.Tier.Price} {S.Reservation.Tier.Currency}).");
        }

        switch (S.Status)
        {
            case OrderStatus.Pending:
                // The payment is on record before anything depends on it.
                (S.Status, S.Payment, S.PaidAt) = (OrderStatus.Paid, payment, clock.GetUtcNow());
                await SaveAsync();
                return await GrantAsync();
            case OrderStatus.Paid:
                return await GrantAsync();
            case OrderStatus.Cancelled when S.Payment is null:
                // Paid after it ended (expired, superseded): the money goes back; nothing is granted.
                S.Payment = payment;
                S.Reason = $"{S.Reason} The payment that came after was refunded.";
                await state.WriteStateAsync();
                await ProviderOf(payment).RefundAsync(payment);
                return Info();
            default:
                return Info();
        }
    }

    public async Task<OrderInfo> PaymentFailedAsync(string reason)
    {
        if (!state.RecordExists)
        {
            throw DomainException.NotFound("The order");
        }

        if (S.Status == OrderStatus.Pending)
        {
            await EndUnpaidAsync(reason);
        }

        return Info();
    }

    public async Task<OrderInfo> CancelAsync(OrderActor actor)
    {
        Authorize(actor, allowSeller: false);
        if (S.Status != OrderStatus.Pending)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"The order is {S.Status.ToString().ToLowerInvariant()}; only unpaid orders can be cancelled.");
        }

        await EndUnpaidAsync("Cancelled by the buyer.");
        return Info();
    }

    public async Task<OrderInfo> RefundAsync(OrderActor actor, string reason)
    {
        Authorize(actor, allowSeller: true);
        if (!actor.IsAdmin)
        {
            if (actor.UserId != S.Reservation.SellerId)
            {
                throw new DomainException(DomainErrorKind.Forbidden, "Refunds are made by the seller or an admin.");
            }

            if (S.CompletedAt + Options.RefundWindow < clock.GetUtcNow())
            {
                throw new DomainException(DomainErrorKind.Forbidden, $"The seller's refund window ({Options.RefundWindow.TotalDays:0} days) has passed; ask an admin.");
            }
        }

        if (S.Status != OrderStatus.Completed)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"The order is {S.Status.ToString().ToLowerInvariant()}; only completed orders are refunded.");
        }

        await ProviderOf(S.Payment!).RefundAsync(S.Payment!);
        await ReverseAsync(ReleaseRules.Text(reason, "reason", 500) ?? "Refunded.");
        return Info();
    }

    public async Task<OrderInfo> ChargebackAsync(string reason)
    {
        if (!state.RecordExists)
        {
            throw DomainException.NotFound("The order");
        }

        // A grant half done when the money went back is finished first, so that reversing it undoes all of it.
        if (S.Status == OrderStatus.Paid)
        {
            await GrantAsync();
        }

        if (S.Status == OrderStatus.Completed)
        {
            await ReverseAsync(reason);
        }

        return Info();
    }

    public async Task SupersededAsync()
    {
        if (state.RecordExists && S.Status == OrderStatus.Pending)
        {
            await EndUnpaidAsync("The listing was sold exclusively to another buyer.");
        }
    }

    public async Task<IReadOnlyList<Download>> DownloadAsync(Guid buyerId)
    {
        Authorize(new OrderActor(buyerId, false), allowSeller: false);
        if (S.Status != OrderStatus.Completed)
        {
            throw new DomainException(DomainErrorKind.Conflict, S.Status == OrderStatus.Refunded
                ? "The order was refunded; its downloads are revoked." : $"The order is {S.Status.ToString().ToLowerInvariant()}; files come once it is paid.");
        }

        if (S.DownloadsUsed >= Options.DownloadsPerOrder)
        {
            throw new DomainException(DomainErrorKind.TooManyRequests, $"All {Options.DownloadsPerOrder} downloads of this order are used; ask the seller or an admin for more.");
        }

        var files = await Listing.FilesForAsync(S.Reservation.Tier.Id, S.Reservation.Tier.Formats);
        S.DownloadsUsed++;
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IArtistInsightsGrain>(S.Reservation.SellerId)
            .RecordAsync(new InsightEvent(InsightKind.Download, S.ListingId, clock.GetUtcNow()));
        return [.. files.Select(f => new Download(f.Name, f.Format, f.Size, f.BlobKey))];
    }

    public async Task<IReadOnlyList<Guid>> AddToLibraryAsync(Guid buyerId)
    {
        var (files, quota) = await LibraryFilesAsync(buyerId);
        var ids = new List<Guid>();
        foreach (var (file, index) in files.Select((f, i) => (f, i)))
        {
            ids.Add(await CopyToLibraryAsync(file, index, buyerId, quota));
        }

        return ids;
    }

    public async Task<Guid> AddFileToLibraryAsync(Guid buyerId, string blobKey)
    {
        var (files, quota) = await LibraryFilesAsync(buyerId);
        var index = files.FindIndex(f => f.BlobKey == blobKey);
        return index >= 0 ? await CopyToLibraryAsync(files[index], index, buyerId, quota) : throw DomainException.NotFound("The file");
    }

    /// <summary>The audio files the paid order delivers, and the buyer's storage quota.</summary>
    private async Task<(List<ListingFile> Files, long? Quota)> LibraryFilesAsync(Guid buyerId)
    {
        Authorize(new OrderActor(buyerId, false), allowSeller: false);
        if (S.Status != OrderStatus.Completed)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"The order is {S.Status.ToString().ToLowerInvariant()}; its files come once it is paid.");
        }

        var files = (await Listing.FilesForAsync(S.Reservation.Tier.Id, S.Reservation.Tier.Formats)).Where(f => f.ContentType.StartsWith("audio/", StringComparison.Ordinal)).ToList();
        var role = (await GrainFactory.GetGrain<IUserGrain>(buyerId).GetProfileAsync()).Role;
        return (files, assetOptions.Value.QuotaFor(role));
    }

    /// <summary>One id per order and file, so asking again finds the asset instead of copying the file twice.</summary>
    private Task<Guid> CopyToLibraryAsync(ListingFile file, int index, Guid buyerId, long? quota) =>
        AssetFiles.CopyOnceAsync(GrainFactory, blobs, buyerId, quota, file.BlobKey, file.Name,
            DerivedIds.Of(Id.ToByteArray(), BitConverter.GetBytes(index)), licenseId: Id);

    public Task<string> LicenseAsync(OrderActor actor)
    {
        Authorize(actor, allowSeller: true);
        if (S.Status is not (OrderStatus.Completed or OrderStatus.Refunded))
        {
            throw new DomainException(DomainErrorKind.Conflict, "A license exists once the order is paid.");
        }

        return Task.FromResult(LicenseDocument.Write(Id, S, clock.GetUtcNow()));
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!state.RecordExists || S.Status is OrderStatus.Completed or OrderStatus.Cancelled or OrderStatus.Refunded)
        {
            await UnregisterAsync();
        }
        else if (S.Status == OrderStatus.Paid)
        {
            await GrantAsync();
        }
        else if (clock.GetUtcNow() >= S.ExpiresAt)
        {
            await EndUnpaidAsync("The order expired unpaid.");
        }
    }

    /// <summary>Grants the license of a paid order; each step may run again without effect.</summary>
    private async Task<OrderInfo> GrantAsync()
    {
        var tier = S.Reservation.Tier;
        var (granted, cancel) = await Listing.SoldAsync(Id, tier.Id);
        if (!granted)
        {
            await ProviderOf(S.Payment!).RefundAsync(S.Payment!);
            (S.Status, S.RefundedAt, S.Reason) = (OrderStatus.Refunded, clock.GetUtcNow(), "The listing was sold exclusively to another buyer first; the payment was refunded.");
            await SaveAsync();
            await UnregisterAsync();
            return Info();
        }

        var fee = Options.FeeOf(tier.Price);
        var at = S.PaidAt!.Value;
        if (tier.Price > 0)
        {
            await market.PostAsync(
            [
                new LedgerEntry(Id, "sale", "payments", -tier.Price, tier.Currency, at),
                new LedgerEntry(Id, "sale", "platform", fee, tier.Currency, at),
                new LedgerEntry(Id, "sale", MarketRules.SellerAccount(S.Reservation.SellerId), tier.Price - fee, tier.Currency, at),
            ]);
        }

        await market.SetLicenseAsync(Id, S.BuyerId, S.ListingId, active: true);
        (S.Status, S.CompletedAt) = (OrderStatus.Completed, clock.GetUtcNow());
        await SaveAsync();
        await GrainFactory.GetGrain<IArtistInsightsGrain>(S.Reservation.SellerId)
            .RecordAsync(new InsightEvent(InsightKind.Sale, S.ListingId, S.CompletedAt.Value, Amount: tier.Price - fee, Currency: tier.Currency));
        await NotifySellerAsync();
        foreach (var other in cancel)
        {
            await GrainFactory.GetGrain<IOrderGrain>(other).SupersededAsync();
        }

        await UnregisterAsync();
        return Info();
    }

    /// <summary>A refund or chargeback: the sale's ledger legs reversed, the license and downloads revoked.</summary>
    private async Task ReverseAsync(string reason)
    {
        var now = clock.GetUtcNow();
        var sale = await market.EntriesAsync(Id);
        await market.PostAsync([.. sale.Where(e => e.Kind == "sale").Select(e => e with { Kind = "refund", Amount = -e.Amount, At = now })]);
        await market.SetLicenseAsync(Id, S.BuyerId, S.ListingId, active: false);
        (S.Status, S.RefundedAt, S.Reason) = (OrderStatus.Refunded, now, reason);
        await SaveAsync();
        await Listing.RefundedAsync(Id);
    }

    private async Task EndUnpaidAsync(string reason)
    {
        (S.Status, S.Reason) = (OrderStatus.Cancelled, reason);
        await SaveAsync();
        await Listing.ReleaseAsync(Id);
        await UnregisterAsync();
    }

    private async Task NotifySellerAsync()
    {
        try
        {
            var notification = new Notification(Guid.NewGuid(), S.Reservation.SellerId, NotificationKind.Sale, S.BuyerId, S.ListingId, null, clock.GetUtcNow());
            await social.AddNotificationAsync(notification);
            await this.PublishToUserAsync(S.Reservation.SellerId, new UserEvent(UserEventKind.Notification, Notification: notification), logger);
        }
        catch (Exception e)
        {
            // The sale stands without its notice.
            LogNotifyFailed(logger, e, Id);
        }
    }


    private IPaymentProvider Provider() => providers.FirstOrDefault(p => p.Name == Options.Provider)
        ?? throw new DomainException(DomainErrorKind.Conflict, $"The payment provider \"{Options.Provider}\" is not available.");

    private IPaymentProvider ProviderOf(Payment payment) => providers.FirstOrDefault(p => p.Name == payment.Provider) ?? new ManualPayments();

    private void Authorize(OrderActor actor, bool allowSeller)
    {
        if (!state.RecordExists || !(actor.IsAdmin || actor.UserId == S.BuyerId || (allowSeller && actor.UserId == S.Reservation.SellerId)))
        {
            throw DomainException.NotFound("The order");
        }
    }

    private async Task SaveAsync()
    {
        await state.WriteStateAsync();
        await market.UpsertOrderAsync(new OrderSummary(Id, S.BuyerId, S.Reservation.SellerId, S.ListingId, S.Status, S.CreatedAt, S.Payment?.Reference));
    }

    private async Task UnregisterAsync()
    {
        if (await this.GetReminder(Reminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private OrderInfo Info() => new(Id, S.BuyerId, S.Reservation.SellerId, S.ListingId, S.Reservation.ListingTitle, S.Reservation.Tier, S.Status, S.Provider,
        S.Status == OrderStatus.Pending ? S.CheckoutUrl : null, S.Reason, Math.Max(0, Options.DownloadsPerOrder - S.DownloadsUsed), S.CreatedAt, S.ExpiresAt,
        S.PaidAt, S.CompletedAt, S.RefundedAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "The payment provider failed to open a checkout for order {OrderId}")]
    private static partial void LogProviderFailed(ILogger logger, Exception exception, Guid orderId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notifying the seller of order {OrderId} failed")]
    private static partial void LogNotifyFailed(ILogger logger, Exception exception, Guid orderId);
}

/// <summary>The license document of an order, written from its tier's terms as plain text.</summary>
public static class LicenseDocument
{
    public static string Write(Guid orderId, OrderState order, DateTimeOffset now)
    {
        var r = order.Reservation;
        var t = r.Tier.Terms;
        string Limit(long? n, string what) => n is null ? $"Unlimited {what}." : $"Up to {n.Value.ToString("N0", CultureInfo.InvariantCulture)} {what}.";
        var text = new StringBuilder();
        text.AppendLine($"LICENSE AGREEMENT — {r.Tier.Name.ToUpperInvariant()}{(r.Tier.Exclusive ? " (EXCLUSIVE)" : "")}");
        text.AppendLine();
        text.AppendLine($"Order:     {orderId}");
        text.AppendLine($"Date:      {order.CompletedAt ?? now:yyyy-MM-dd}");
        text.AppendLine($"Licensor:  {r.Seller} (seller {r.SellerId})");
        text.AppendLine($"Licensee:  {order.Buyer} (buyer {order.BuyerId})");
        text.AppendLine($"Work:      \"{r.ListingTitle}\" ({r.Type}, listing {order.ListingId})");
        text.AppendLine($"Price:     {MarketRules.Format(r.Tier.Price, r.Tier.Currency)}");
        text.AppendLine($"Files:     {string.Join(", ", r.Tier.Formats)}");
        text.AppendLine();
        text.AppendLine(r.Type is ListingType.SamplePack or ListingType.PresetPack
            ? "The Licensor grants the Licensee a non-exclusive, royalty-free, perpetual license to use the Work in their own productions, which they may sell and distribute without further payment. The Work itself may not be resold or redistributed as samples or presets."
            : r.Tier.Exclusive
                ? "The Licensor grants the Licensee the exclusive right to use the Work. The Licensor will license it to no one else from this date; licenses granted before remain valid."
                : "The Licensor grants the Licensee a non-exclusive license to use the Work in one new song, within these limits:");
        text.AppendLine();
        text.AppendLine($"- Distribution: {Limit(t.DistributionCopies, "copies sold or given away")}");
        text.AppendLine($"- Streaming:    {Limit(t.AudioStreams, "audio streams")}");
        text.AppendLine($"- Music videos: {(t.MusicVideos is null ? "Unlimited." : $"Up to {t.MusicVideos}.")}");
        text.AppendLine($"- Radio:        {(t.Radio ? "Allowed." : "Not allowed.")}");
        text.AppendLine($"- Performance:  {(t.PerformanceRights ? "For-profit performances allowed." : "Not-for-profit performances only.")}");
        text.AppendLine($"- Term:         {(t.TermYears is { } years ? $"{years} years from the date above." : "Perpetual.")}");
        if (t.CreditLine.Length > 0)
        {
            text.AppendLine($"- Credit:       \"{t.CreditLine}\"");
        }

        if (order.Status == OrderStatus.Refunded)
        {
            text.AppendLine();
            text.AppendLine($"REVOKED {order.RefundedAt:yyyy-MM-dd}: the order was refunded ({order.Reason}). This license no longer applies.");
        }

        return text.ToString();
    }
}
