using System.Security.Claims;
using Jacameno.Common;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Http;
using Jacameno.Marketplace;
using Jacameno.Users;

namespace Jacameno.Frontend.Marketplace;

public static class MarketEndpoints
{
    public static IEndpointRouteBuilder MapMarketEndpoints(this IEndpointRouteBuilder app)
    {
        var listings = app.MapGroup("/api/listings").WithTags("Marketplace");
        listings.MapPost("/", async (ListingRequest request, ClaimsPrincipal user, MarketService service) =>
            {
                var created = await service.CreateListingAsync(user.UserId(), user.Role(), request);
                return created.JobId is null ? Results.Created($"/api/listings/{created.Listing.Id}", created) : Results.Accepted($"/api/listings/{created.Listing.Id}", created);
            })
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Lists a beat, sample pack, preset pack or stems as a draft with license tiers; a job prepares its files and the watermarked preview.");
        listings.MapGet("/", async (string? q, string? type, string? genre, string? tag, double? bpmMin, double? bpmMax, string? key, string? currency,
                long? priceMin, long? priceMax, string? sort, int? first, string? after, MarketService service, HttpContext http) =>
                Paging.Page(await service.SearchAsync(q, type, genre, tag, bpmMin, bpmMax, key, currency, priceMin, priceMax, sort, null, first ?? 20, after), http))
            .WithSummary("Searches listings for sale: q, type, genre, tag, bpmMin/bpmMax, key, currency with priceMin/priceMax (minor units, cheapest tier), sort=relevance|new|price|top.");
        listings.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, MarketService service) =>
            TypedResults.Ok(await service.GetListingAsync(id, user.OptionalUserId())));
        listings.MapPatch("/{id:guid}", async (Guid id, ListingRequest request, ClaimsPrincipal user, MarketService service) =>
                TypedResults.Ok(await service.UpdateListingAsync(user.UserId(), id, request.Details)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Edits details, tiers or presets; absent fields stay.");
        foreach (var (action, status) in new[] { ("publish", ListingStatus.Published), ("pause", ListingStatus.Paused), ("remove", ListingStatus.Removed) })
        {
            listings.MapPost($"/{{id:guid}}/{action}", async (Guid id, ClaimsPrincipal user, MarketService service) =>
                    TypedResults.Ok(await service.SetStatusAsync(user.UserId(), id, status)))
                .RequireAuthorization(Policies.Authenticated);
        }

        listings.MapGet("/{id:guid}/preview", async (Guid id, ClaimsPrincipal user, MarketService service) =>
                TypedResults.Redirect((await service.PreviewUrlAsync(id, user.OptionalUserId())).ToString()))
            .WithSummary("302 to the watermarked MP3 preview (Range requests work there); the untagged audio is only ever sold.");
        listings.MapGet("/{id:guid}/reviews", async (Guid id, int? first, string? after, ClaimsPrincipal user, MarketService service, HttpContext http) =>
            Paging.Page(await service.ReviewsAsync(id, user.OptionalUserId(), first ?? 20, after), http));
        listings.MapPut("/{id:guid}/review", async (Guid id, ReviewRequest request, ClaimsPrincipal user, MarketService service) =>
                TypedResults.Ok(await service.ReviewAsync(user.UserId(), id, request.Stars, request.Text)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Reviews the listing (1-5 stars, text) as a buyer with a license; again to edit.");
        app.MapGet("/api/users/{id:guid}/listings", async (Guid id, int? first, string? after, ClaimsPrincipal user, MarketService service, HttpContext http) =>
                Paging.Page(await service.SellerListingsAsync(id, user.OptionalUserId(), first ?? 20, after), http))
            .WithTags("Marketplace")
            .WithSummary("The seller's listings on sale; to the seller, all of them.");

        var orders = app.MapGroup("/api/orders").WithTags("Marketplace").RequireAuthorization(Policies.Authenticated);
        orders.MapPost("/", async (OrderRequest request, ClaimsPrincipal user, MarketService service) =>
            {
                var order = await service.OrderAsync(user.UserId(), request.ListingId, request.TierId);
                return TypedResults.Created($"/api/orders/{order.Id}", order);
            })
            .WithSummary("Buys a tier: the order and its payment session (checkoutUrl with Stripe); a free tier completes at once.");
        orders.MapGet("/", async (string? role, int? first, string? after, ClaimsPrincipal user, MarketService service, HttpContext http) =>
                Paging.Page(await service.OrdersAsync(user.UserId(), role switch
                {
                    null or "buyer" => false,
                    "seller" => true,
                    _ => throw DomainException.Invalid("role", "role is buyer (my purchases) or seller (my sales)."),
                }, first ?? 20, after), http))
            .WithSummary("My purchases (role=buyer) or my sales (role=seller), newest first.");
        orders.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, MarketService service) => TypedResults.Ok(await service.GetOrderAsync(id, Actor(user))));
        orders.MapPost("/{id:guid}/cancel", async (Guid id, ClaimsPrincipal user, MarketService service) => TypedResults.Ok(await service.CancelAsync(id, Actor(user))));
        orders.MapPost("/{id:guid}/refund", async (Guid id, RefundRequest? request, ClaimsPrincipal user, MarketService service) =>
                TypedResults.Ok(await service.RefundAsync(id, Actor(user), request?.Reason)))
            .WithSummary("Refunds a completed order: the seller within the refund window, an admin any time. Downloads end; the ledger is reversed.");
        orders.MapPost("/{id:guid}/downloads", async (Guid id, ClaimsPrincipal user, MarketService service) => TypedResults.Ok(await service.DownloadAsync(id, user.UserId())))
            .WithSummary("Signed links to the tier's files; each call spends one of the order's downloads.");
        orders.MapPost("/{id:guid}/library", async (Guid id, ClaimsPrincipal user, MarketService service) =>
                TypedResults.Ok(new { assetIds = await service.AddToLibraryAsync(id, user.UserId()) }))
            .WithSummary("Puts the tier's audio files among the buyer's assets, each carrying this order as its license (it travels into projects and renders).");
        orders.MapGet("/{id:guid}/license", async (Guid id, ClaimsPrincipal user, MarketService service) =>
                Results.Text(await service.LicenseAsync(id, Actor(user)), "text/plain; charset=utf-8"))
            .WithSummary("The license document of a paid order, as plain text.");

        app.MapGet("/api/admin/orders", async (string? status, int? first, string? after, MarketService service, HttpContext http) =>
                Paging.Page(await service.AdminOrdersAsync(status, first ?? 20, after), http))
            .WithTags("Admin").RequireAuthorization(Policies.Admin)
            .WithSummary("Everyone's orders, newest first; status=pending lists the manual provider's payments to confirm.");

        app.MapPost("/api/admin/orders/{id:guid}/paid", async (Guid id, MarketService service) => TypedResults.Ok(await service.MarkPaidAsync(id)))
            .WithTags("Admin").RequireAuthorization(Policies.Admin)
            .WithSummary("Marks an order of the manual provider paid (money received outside the platform).");

        app.MapGet("/api/admin/ledger", async (Guid? reference, IMarketCatalog catalog, HttpContext http) =>
                TypedResults.Ok(await catalog.EntriesAsync(reference ?? throw DomainException.Invalid("reference", "reference (an order or payout id) is required."), http.RequestAborted)))
            .WithTags("Admin").RequireAuthorization(Policies.Admin)
            .WithSummary("The ledger legs of an order or a payout.");

        var seller = app.MapGroup("/api/seller").WithTags("Marketplace").RequireAuthorization(Policies.Authenticated);
        seller.MapGet("/balance", async (ClaimsPrincipal user, MarketService service) => TypedResults.Ok(await service.BalanceAsync(user.UserId())))
            .WithSummary("Earnings per currency: available (cleared) and clearing.");
        seller.MapPost("/payouts", async (PayoutRequest request, ClaimsPrincipal user, MarketService service) =>
                TypedResults.Ok(await service.PayoutAsync(user.UserId(), request.Currency, request.Amount)))
            .WithSummary("Pays out cleared earnings (all when amount is absent): a Stripe Connect transfer when connected, else manual.");
        seller.MapPut("/stripe-account", async (StripeAccountRequest request, ClaimsPrincipal user, MarketService service) =>
                TypedResults.Ok(new { accountId = await service.ConnectStripeAsync(user.UserId(), request.AccountId) }))
            .WithSummary("The Stripe connected account (acct_…) payouts are transferred to; null to stop.");

        app.MapPost("/api/payments/stripe/webhook", StripeWebhookAsync).WithTags("Marketplace")
            .WithSummary("Stripe's webhook (signed: Stripe-Signature with the webhook secret): checkout.session.completed (granted when paid), "
                + "checkout.session.async_payment_succeeded / _failed, charge.refunded, charge.dispute.created. 404 when Stripe is not configured.");
        return app;
    }

    internal static OrderActor Actor(ClaimsPrincipal user) => new(user.UserId(), user.Role() == UserRole.Admin);

    /// <summary>The raw body goes to the handler unparsed: Stripe signs the bytes it sent.</summary>
    private static async Task<IResult> StripeWebhookAsync(HttpContext http, IStripeWebhook webhook)
    {
        using var reader = new StreamReader(http.Request.Body);
        var result = await webhook.HandleAsync(await reader.ReadToEndAsync(http.RequestAborted), http.Request.Headers["Stripe-Signature"], http.RequestAborted);
        return result.Outcome switch
        {
            WebhookOutcome.NotConfigured or WebhookOutcome.UnknownOrder => Results.Problem(statusCode: 404, title: "Not found", detail: result.Detail),
            WebhookOutcome.BadSignature => Results.Problem(statusCode: 400, title: "Bad request", detail: result.Detail),
            WebhookOutcome.Ignored when result.PaymentStatus is not null => Results.Ok(new { pending = result.EventType, paymentStatus = result.PaymentStatus }),
            WebhookOutcome.Ignored => Results.Ok(new { ignored = result.EventType }),
            _ => Results.Ok(new { handled = result.EventType, duplicate = result.Duplicate }),
        };
    }
}
