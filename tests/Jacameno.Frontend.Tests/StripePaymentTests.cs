using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jacameno.Tests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// The platform with Stripe as its payment provider, against a local stand-in for api.stripe.com (which tests
/// cannot reach); webhooks are signed here as Stripe signs them.
/// </summary>
public sealed class StripeFixture : IAsyncLifetime
{
    public const string WebhookSecret = "whsec_test_secret";
    private WebApplication stripe = null!;
    public EmbeddedPlatform Platform { get; private set; } = null!;
    public List<string> StripeRequests { get; } = [];

    public async Task InitializeAsync()
    {
        var port = TestServices.FreePort();
        stripe = WebApplication.CreateSlimBuilder().Build();
        stripe.Urls.Add($"http://127.0.0.1:{port}");
        stripe.MapPost("/v1/checkout/sessions", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            lock (StripeRequests)
            {
                StripeRequests.Add(form["mode"] == "subscription"
                    ? $"subscription {form["line_items[0][price]"]} {form["client_reference_id"]} {form["subscription_data[metadata][user_id]"]} {form["subscription_data[metadata][plan]"]}"
                    : $"session {form["line_items[0][price_data][unit_amount]"]} {form["line_items[0][price_data][currency]"]} {form["client_reference_id"]}");
            }

            var id = $"cs_test_{Guid.NewGuid():N}";
            return Results.Json(new { id, @object = "checkout.session", url = $"https://checkout.stripe.test/{id}", client_reference_id = form["client_reference_id"].ToString() });
        });
        stripe.MapPost("/v1/billing_portal/sessions", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            lock (StripeRequests)
            {
                StripeRequests.Add($"portal {form["customer"]} {form["return_url"]}");
            }

            return Results.Json(new { id = $"bps_{Guid.NewGuid():N}", @object = "billing_portal.session", url = $"https://billing.stripe.test/{form["customer"]}" });
        });
        stripe.MapPost("/v1/refunds", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            lock (StripeRequests)
            {
                StripeRequests.Add($"refund {form["payment_intent"]}");
            }

            return Results.Json(new { id = $"re_{Guid.NewGuid():N}", @object = "refund", status = "succeeded" });
        });
        stripe.MapPost("/v1/transfers", async (HttpContext http) =>
        {
            var form = await http.Request.ReadFormAsync();
            lock (StripeRequests)
            {
                StripeRequests.Add($"transfer {form["amount"]} {form["currency"]} {form["destination"]}");
            }

            return Results.Json(new { id = $"tr_{Guid.NewGuid():N}", @object = "transfer", amount = long.Parse(form["amount"]!, System.Globalization.CultureInfo.InvariantCulture) });
        });
        await stripe.StartAsync();
        Platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
        {
            ["Jacameno:Marketplace:Provider"] = "stripe",
            ["Jacameno:Marketplace:Stripe:SecretKey"] = "sk_test_local",
            ["Jacameno:Marketplace:Stripe:WebhookSecret"] = WebhookSecret,
            ["Jacameno:Marketplace:Stripe:ApiBase"] = $"http://127.0.0.1:{port}",
            // Earnings clear at once here, so a payout can follow a sale.
            ["Jacameno:Marketplace:ClearingPeriod"] = "00:00:00",
            ["Jacameno:Premium:Provider"] = "stripe",
            ["Jacameno:Premium:MonthlyPriceId"] = "price_monthly",
            ["Jacameno:Premium:YearlyPriceId"] = "price_yearly",
        });
    }

    public async Task DisposeAsync()
    {
        await Platform.DisposeAsync();
        await stripe.DisposeAsync();
    }

    public static string Sign(string payload, DateTimeOffset at, string secret = WebhookSecret)
    {
        var t = at.ToUnixTimeSeconds();
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{t}.{payload}")));
        return $"t={t},v1={signature}";
    }

    public async Task<HttpResponseMessage> WebhookAsync(string payload, string signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/payments/stripe/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", signature);
        return await Platform.CreateClient().SendAsync(request);
    }

    public static string Event(string id, string type, object data, DateTimeOffset? created = null) => JsonSerializer.Serialize(new
    {
        id, @object = "event", api_version = "2025-01-27.acacia", created = (created ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(), type, livemode = false,
        data = new { @object = data },
    });

}

/// <summary>
/// Stripe: Checkout sessions through Stripe.net and webhooks: bad signatures, old timestamps, unknown orders,
/// repeats, disputes.
/// </summary>
public sealed class StripePaymentTests(StripeFixture stripe) : IClassFixture<StripeFixture>
{
    private Task<HttpResponseMessage> WebhookAsync(string payload, string signature) => stripe.WebhookAsync(payload, signature);

    private static string Sign(string payload, DateTimeOffset at, string secret = StripeFixture.WebhookSecret) => StripeFixture.Sign(payload, at, secret);

    private static string Event(string id, string type, object data) => StripeFixture.Event(id, type, data);

    [Fact]
    public async Task Checkout_WebhookGrantsOnce_RefusesForgedAndOld_AndADisputeRevokes()
    {
        var seller = stripe.Platform.CreateClient((await stripe.Platform.RegisterAsync()).AccessToken);
        var buyer = stripe.Platform.CreateClient((await stripe.Platform.RegisterAsync()).AccessToken);
        using var admin = stripe.Platform.CreateClient(await stripe.Platform.AdminTokenAsync());
        var listing = await MarketplaceApiTests.PublishedBeatAsync(seller, "Stripe beat");
        var order = await (await buyer.PostAsJsonAsync("/api/orders", new { listingId = listing.GetProperty("id").GetString(), tierId = MarketplaceApiTests.TierId(listing, "WAV lease") })).BodyAsync();
        var orderId = order.GetProperty("id").GetString()!;
        Assert.Equal(("pending", "stripe"), (order.GetProperty("status").GetString(), order.GetProperty("provider").GetString()));
        Assert.StartsWith("https://checkout.stripe.test/cs_test_", order.GetProperty("checkoutUrl").GetString());
        Assert.Contains($"session 4999 usd {orderId}", stripe.StripeRequests);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsync($"/api/admin/orders/{orderId}/paid", null)).StatusCode);

        var completed = Event("evt_paid_1", "checkout.session.completed", new
        {
            id = "cs_test_1", @object = "checkout.session", client_reference_id = orderId, payment_intent = "pi_test_1", amount_total = 4999, currency = "usd", payment_status = "paid",
        });
        var forged = await WebhookAsync(completed, Sign(completed, DateTimeOffset.UtcNow, "whsec_wrong"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Contains("signature", await forged.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await WebhookAsync(completed, Sign(completed, DateTimeOffset.UtcNow.AddMinutes(-10)))).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await WebhookAsync(completed.Replace("4999", "1", StringComparison.Ordinal), Sign(completed, DateTimeOffset.UtcNow))).StatusCode);
        var unknown = Event("evt_unknown", "checkout.session.completed", new { id = "cs_x", @object = "checkout.session", client_reference_id = Guid.NewGuid().ToString(), amount_total = 1, currency = "usd", payment_status = "paid" });
        Assert.Equal(HttpStatusCode.NotFound, (await WebhookAsync(unknown, Sign(unknown, DateTimeOffset.UtcNow))).StatusCode);
        Assert.Equal("pending", (await (await buyer.GetAsync($"/api/orders/{orderId}")).BodyAsync()).GetProperty("status").GetString());

        // Delivered, then delivered again (Stripe retries): one grant, one set of ledger legs.
        var first = await WebhookAsync(completed, Sign(completed, DateTimeOffset.UtcNow));
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        var again = await (await WebhookAsync(completed, Sign(completed, DateTimeOffset.UtcNow))).BodyAsync();
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal("completed", (await (await buyer.GetAsync($"/api/orders/{orderId}")).BodyAsync()).GetProperty("status").GetString());
        Assert.Equal(3, (await (await admin.GetAsync($"/api/admin/ledger?reference={orderId}")).BodyAsync()).GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await buyer.PostAsync($"/api/orders/{orderId}/downloads", null)).StatusCode);

        // A dispute takes the money back: the license and downloads go, the ledger is reversed.
        var dispute = Event("evt_dispute_1", "charge.dispute.created", new { id = "dp_1", @object = "dispute", payment_intent = "pi_test_1", reason = "fraudulent", amount = 4999, currency = "usd" });
        Assert.Equal(HttpStatusCode.OK, (await WebhookAsync(dispute, Sign(dispute, DateTimeOffset.UtcNow))).StatusCode);
        Assert.Equal("refunded", (await (await buyer.GetAsync($"/api/orders/{orderId}")).BodyAsync()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await buyer.PostAsync($"/api/orders/{orderId}/downloads", null)).StatusCode);
        var legs = await (await admin.GetAsync($"/api/admin/ledger?reference={orderId}")).BodyAsync();
        Assert.Equal((6, 0L), (legs.GetArrayLength(), legs.EnumerateArray().Sum(l => l.GetProperty("amount").GetInt64())));
        // The provider already took the money back; no refund is asked of it.
        Assert.DoesNotContain(stripe.StripeRequests, r => r.StartsWith("refund", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Payouts_AreStripeConnectTransfers_ToTheSellersAccount()
    {
        var seller = stripe.Platform.CreateClient((await stripe.Platform.RegisterAsync()).AccessToken);
        var buyer = stripe.Platform.CreateClient((await stripe.Platform.RegisterAsync()).AccessToken);
        var listing = await MarketplaceApiTests.PublishedBeatAsync(seller, "Paid out beat");
        var orderId = (await (await buyer.PostAsJsonAsync("/api/orders", new { listingId = listing.GetProperty("id").GetString(), tierId = MarketplaceApiTests.TierId(listing, "MP3 lease") })).BodyAsync())
            .GetProperty("id").GetString()!;
        var completed = Event("evt_paid_2", "checkout.session.completed", new
        {
            id = "cs_test_2", @object = "checkout.session", client_reference_id = orderId, payment_intent = "pi_test_2", amount_total = 2999, currency = "usd", payment_status = "paid",
        });
        Assert.Equal(HttpStatusCode.OK, (await WebhookAsync(completed, Sign(completed, DateTimeOffset.UtcNow))).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await seller.PutAsJsonAsync("/api/seller/stripe-account", new { accountId = "bank 123" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await seller.PutAsJsonAsync("/api/seller/stripe-account", new { accountId = "acct_seller1" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await seller.PostAsJsonAsync("/api/seller/payouts", new { currency = "USD", amount = 5000 })).StatusCode);
        var payout = await (await seller.PostAsJsonAsync("/api/seller/payouts", new { currency = "usd" })).BodyAsync();
        Assert.Equal((2699L, "stripe"), (payout.GetProperty("amount").GetInt64(), payout.GetProperty("provider").GetString()));
        Assert.StartsWith("tr_", payout.GetProperty("reference").GetString());
        Assert.Contains("transfer 2699 usd acct_seller1", stripe.StripeRequests);
        var balance = (await (await seller.GetAsync("/api/seller/balance")).BodyAsync())[0];
        Assert.Equal((0L, 0L), (balance.GetProperty("available").GetInt64(), balance.GetProperty("clearing").GetInt64()));
        Assert.Equal(HttpStatusCode.BadRequest, (await seller.PostAsJsonAsync("/api/seller/payouts", new { currency = "USD" })).StatusCode);
    }

    [Fact]
    public async Task AProviderThatCannotOpenACheckout_LeavesNoHold()
    {
        await using var unconfigured = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?> { ["Jacameno:Marketplace:Provider"] = "stripe" });
        var seller = unconfigured.CreateClient((await unconfigured.RegisterAsync()).AccessToken);
        var listing = await MarketplaceApiTests.PublishedBeatAsync(seller, "No checkout");
        var order = new { listingId = listing.GetProperty("id").GetString(), tierId = MarketplaceApiTests.TierId(listing, "Exclusive") };
        foreach (var buyer in new[] { await unconfigured.RegisterAsync(), await unconfigured.RegisterAsync() })
        {
            var refused = await unconfigured.CreateClient(buyer.AccessToken).PostAsJsonAsync("/api/orders", order);
            Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
            Assert.Contains("Stripe is not configured", await refused.Content.ReadAsStringAsync());
        }
    }
}
