using System.Net;
using System.Net.Http.Json;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>Stripe webhooks: a checkout that completed without the money must grant nothing.</summary>
public sealed class PaymentAttacks(StripeFixture stripe) : IClassFixture<StripeFixture>
{
    [Fact]
    public async Task AnUnpaidCompletedCheckout_GrantsNothing_UntilTheAsyncPaymentSucceeds()
    {
        var (buyer, orderId) = await PendingOrderAsync("Delayed payment");
        var unpaid = Completed("evt_unpaid_1", orderId, "unpaid");
        var answer = await stripe.WebhookAsync(unpaid, StripeFixture.Sign(unpaid, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("pending", await StatusAsync(buyer, orderId));
        Assert.Equal(HttpStatusCode.Conflict, (await buyer.PostAsync($"/api/orders/{orderId}/downloads", null)).StatusCode);

        var succeeded = StripeFixture.Event("evt_async_ok_1", "checkout.session.async_payment_succeeded", Session(orderId, "paid"));
        Assert.Equal(HttpStatusCode.OK, (await stripe.WebhookAsync(succeeded, StripeFixture.Sign(succeeded, DateTimeOffset.UtcNow))).StatusCode);
        Assert.Equal("completed", await StatusAsync(buyer, orderId));
    }

    [Fact]
    public async Task AFailedAsyncPayment_EndsTheOrder_AndFreesItsHold()
    {
        var (buyer, orderId) = await PendingOrderAsync("Declined payment");
        var unpaid = Completed("evt_unpaid_2", orderId, "unpaid");
        Assert.Equal(HttpStatusCode.OK, (await stripe.WebhookAsync(unpaid, StripeFixture.Sign(unpaid, DateTimeOffset.UtcNow))).StatusCode);

        var failed = StripeFixture.Event("evt_async_fail_2", "checkout.session.async_payment_failed", Session(orderId, "unpaid"));
        Assert.Equal(HttpStatusCode.OK, (await stripe.WebhookAsync(failed, StripeFixture.Sign(failed, DateTimeOffset.UtcNow))).StatusCode);
        Assert.Equal("cancelled", await StatusAsync(buyer, orderId));

        // A late "succeeded" for an order that ended is refused, not granted.
        var late = StripeFixture.Event("evt_async_late_2", "checkout.session.async_payment_succeeded", Session(orderId, "paid"));
        var lateAnswer = await stripe.WebhookAsync(late, StripeFixture.Sign(late, DateTimeOffset.UtcNow));
        Assert.NotEqual(HttpStatusCode.InternalServerError, lateAnswer.StatusCode);
        Assert.Equal("cancelled", await StatusAsync(buyer, orderId));
    }

    private async Task<(HttpClient Buyer, string OrderId)> PendingOrderAsync(string title)
    {
        var seller = stripe.Platform.CreateClient((await stripe.Platform.RegisterAsync()).AccessToken);
        var buyer = stripe.Platform.CreateClient((await stripe.Platform.RegisterAsync()).AccessToken);
        var listing = await MarketplaceApiTests.PublishedBeatAsync(seller, title);
        var order = await (await buyer.PostAsJsonAsync("/api/orders", new { listingId = listing.GetProperty("id").GetString(), tierId = MarketplaceApiTests.TierId(listing, "WAV lease") })).BodyAsync();
        return (buyer, order.GetProperty("id").GetString()!);
    }

    private static object Session(string orderId, string paymentStatus) => new
    {
        id = $"cs_test_{orderId[..8]}", @object = "checkout.session", client_reference_id = orderId, payment_intent = $"pi_{orderId[..8]}",
        amount_total = 4999, currency = "usd", payment_status = paymentStatus,
    };

    private static string Completed(string eventId, string orderId, string paymentStatus) =>
        StripeFixture.Event(eventId, "checkout.session.completed", Session(orderId, paymentStatus));

    private static async Task<string?> StatusAsync(HttpClient buyer, string orderId) =>
        (await (await buyer.GetAsync($"/api/orders/{orderId}")).BodyAsync()).GetProperty("status").GetString();
}
