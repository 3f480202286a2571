using System.Net;
using System.Net.Http.Json;
using Jacameno.Frontend.Push;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// The server sends requests to URLs users give it (Web Push endpoints): it must not become a way to reach what is
/// inside its network. These run against the platform as it is deployed (no local endpoints allowed).
/// </summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class PushAttacks(SharedPlatform platform)
{
    private static object Subscription(string endpoint) => new
    {
        kind = "webPush",
        subscription = new { endpoint, keys = new { p256dh = ValidKey, auth = "AAAAAAAAAAAAAAAAAAAAAA" } },
    };

    private static readonly string ValidKey = MakeKey();

    private static string MakeKey()
    {
        using var key = System.Security.Cryptography.ECDiffieHellman.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var q = key.ExportParameters(false).Q;
        return Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode([0x04, .. q.X!, .. q.Y!]);
    }

    [Theory]
    [InlineData("https://127.0.0.1/push")]
    [InlineData("https://10.0.0.5/push")]
    [InlineData("https://169.254.169.254/latest/meta-data/")]
    [InlineData("https://[::1]/push")]
    [InlineData("https://localhost/push")]
    [InlineData("https://metadata.google.internal/computeMetadata/v1/")]
    [InlineData("http://fcm.googleapis.com/fcm/send/abc")]
    [InlineData("https://fcm.googleapis.com:8443/fcm/send/abc")]
    [InlineData("https://fcm.googleapis.com.evil.example/fcm/send/abc")]
    [InlineData("https://user:pass@fcm.googleapis.com/fcm/send/abc")]
    [InlineData("file:///etc/passwd")]
    [InlineData("/relative")]
    public async Task AnEndpointOutsideThePushServices_IsRefused(string endpoint)
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var response = await client.PostAsJsonAsync("/api/devices", Subscription(endpoint));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("subscription.endpoint", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BadKeysAndTokens_AreRefused_AndTheDeviceCount_IsCapped()
    {
        using var client = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var notOnTheCurve = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode([0x04, .. new byte[64]]);
        var badKey = await client.PostAsJsonAsync("/api/devices", new
        {
            kind = "webPush",
            subscription = new { endpoint = "https://fcm.googleapis.com/fcm/send/x", keys = new { p256dh = notOnTheCurve, auth = "AAAAAAAAAAAAAAAAAAAAAA" } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        Assert.Contains("p256dh", await badKey.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/devices", new { kind = "carrierPigeon" })).StatusCode);
        // FCM and APNs are not configured on this platform: refused with a reason, not stored.
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync("/api/devices", new { kind = "apns", token = "../../admin" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync("/api/users/me/push-preferences", new { topics = new { everything = true } })).StatusCode);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/devices", Subscription($"https://fcm.googleapis.com/fcm/send/{i}"))).StatusCode);
        }

        // The same subscription again is the same device; a 21st is refused.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/api/devices", Subscription("https://fcm.googleapis.com/fcm/send/0"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync("/api/devices", Subscription("https://fcm.googleapis.com/fcm/send/20"))).StatusCode);
    }

    [Fact]
    public async Task ANameThatResolvesToLoopback_IsRefusedWhereTheConnectionIsMade()
    {
        // An allowed name could point (or rebind) to an inside address: the push client checks the address it connects to.
        using var standIn = new PushServiceStandIn();
        using var http = new PushHttp(Options.Create(new PushOptions { Timeout = TimeSpan.FromSeconds(5) }));
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => http.Client.PostAsync($"http://localhost:{standIn.Address.Port}/push", new StringContent("x")));
        Assert.IsType<RefusedAddressException>(error.InnerException);
        Assert.Empty(standIn.Received);
    }
}
