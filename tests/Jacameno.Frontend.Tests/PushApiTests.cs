using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Jacameno.Storage.Push;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace Jacameno.Frontend.Tests;

/// <summary>
/// Pushes end to end on the embedded platform: devices registered as a browser and phones would, events made by other
/// users, and a local push service in place of the browsers' and FCM's and APNs's, which checks what arrives.
/// </summary>
public sealed class PushApiTests : IDisposable
{
    private const string Subject = "mailto:push-test@example.org";
    private readonly PushServiceStandIn service = new();
    private readonly ECDsa apnsKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly EmbeddedPlatform platform;

    public PushApiTests()
    {
        using var rsa = RSA.Create(2048);
        var serviceAccount = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["type"] = "service_account",
            ["project_id"] = "jacameno-test",
            ["client_email"] = "push@jacameno-test.iam.gserviceaccount.com",
            ["private_key"] = rsa.ExportPkcs8PrivateKeyPem(),
            ["token_uri"] = new Uri(service.Address, "token").ToString(),
        });
        platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?>
        {
            ["Jacameno:Push:AllowedHosts:0"] = "127.0.0.1",
            ["Jacameno:Push:AllowLocalEndpoints"] = "true",
            ["Jacameno:Push:Timeout"] = "00:00:02",
            ["Jacameno:Push:WebPush:Subject"] = Subject,
            ["Jacameno:Push:Fcm:ServiceAccountJson"] = serviceAccount,
            ["Jacameno:Push:Fcm:BaseUrl"] = service.Address.ToString(),
            ["Jacameno:Push:Apns:Key"] = apnsKey.ExportPkcs8PrivateKeyPem(),
            ["Jacameno:Push:Apns:KeyId"] = "ABC123DEFG",
            ["Jacameno:Push:Apns:TeamId"] = "TEAM123456",
            ["Jacameno:Push:Apns:Topic"] = "org.jacameno.app",
            ["Jacameno:Push:Apns:BaseUrl"] = service.Address.ToString(),
        });
        service.Respond = r => r.Path == "/token" ? new PushServiceStandIn.Answer(200, """{"access_token":"ya29.stand-in","expires_in":3600}""")
            : r.Path.StartsWith("/v1/", StringComparison.Ordinal) ? new PushServiceStandIn.Answer(200, """{"name":"projects/jacameno-test/messages/1"}""")
            : r.Path.StartsWith("/3/device/", StringComparison.Ordinal) ? new PushServiceStandIn.Answer(200)
            : new PushServiceStandIn.Answer(201);
    }

    public void Dispose()
    {
        platform.Dispose();
        service.Dispose();
        apnsKey.Dispose();
    }

    /// <summary>A browser's side of a subscription: its P-256 key pair and auth secret, as PushManager.subscribe makes them.</summary>
    internal sealed class Browser : IDisposable
    {
        public ECDiffieHellman Key { get; } = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);

        public byte[] Auth { get; } = RandomNumberGenerator.GetBytes(16);

        public byte[] PublicKey
        {
            get
            {
                var q = Key.ExportParameters(false).Q;
                return [0x04, .. q.X!, .. q.Y!];
            }
        }

        public object Subscription(Uri endpoint) => new
        {
            endpoint = endpoint.ToString(),
            keys = new { p256dh = WebEncoders.Base64UrlEncode(PublicKey), auth = WebEncoders.Base64UrlEncode(Auth) },
        };

        /// <summary>Decrypts an aes128gcm body (RFC 8188, keys as RFC 8291 derives them).</summary>
        public byte[] Decrypt(byte[] body)
        {
            var salt = body[..16];
            Assert.Equal(4096u, BinaryPrimitives.ReadUInt32BigEndian(body.AsSpan(16, 4)));
            var serverKey = body[21..(21 + body[20])];
            var ciphertext = body[(21 + body[20])..];
            using var server = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = serverKey[1..33], Y = serverKey[33..] } });
            var shared = Key.DeriveRawSecretAgreement(server.PublicKey);
            var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, Auth, [.. "WebPush: info\0"u8, .. PublicKey, .. serverKey]);
            var cek = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
            var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());
            using var aes = new AesGcm(cek, 16);
            var plain = new byte[ciphertext.Length - 16];
            aes.Decrypt(nonce, ciphertext[..^16], ciphertext[^16..], plain);
            var end = Array.FindLastIndex(plain, b => b != 0);
            Assert.Equal(2, plain[end]); // the last record's delimiter
            return plain[..end];
        }

        public void Dispose() => Key.Dispose();
    }

    private async Task<(HttpClient Client, Guid Id)> UserAsync(string name)
    {
        var user = await platform.RegisterAsync(displayName: name);
        return (platform.CreateClient(user.AccessToken), user.User.Id);
    }

    private static async Task<JsonElement> RegisterAsync(HttpClient client, object device)
    {
        var response = await client.PostAsJsonAsync("/api/devices", device);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.BodyAsync();
    }

    private static Task FollowAsync(HttpClient follower, Guid followee) => follower.PutAsync($"/api/users/{followee}/follow", null);

    [Fact]
    public async Task Follow_ReachesTheBrowser_EncryptedForIt_AndSignedWithVapid()
    {
        var (artist, artistId) = await UserAsync("Push Artist");
        var (fan, _) = await UserAsync("Push Fan");
        using var browser = new Browser();
        var endpoint = new Uri(service.Address, $"wp/{Guid.NewGuid():N}");
        var config = await (await artist.GetAsync("/api/devices/config")).BodyAsync();
        var vapidKey = config.GetProperty("vapidPublicKey").GetString()!;
        Assert.Equal(["webPush", "fcm", "apns"], config.GetProperty("kinds").EnumerateArray().Select(k => k.GetString()));
        var device = await RegisterAsync(artist, new { kind = "webpush", name = "Firefox on a laptop", subscription = browser.Subscription(endpoint) });
        Assert.Equal(("webPush", endpoint.ToString()), (device.GetProperty("kind").GetString(), device.GetProperty("endpoint").GetString()));

        await FollowAsync(fan, artistId);
        var push = await service.WaitForAsync(r => r.Path == endpoint.AbsolutePath);

        Assert.Equal("aes128gcm", push.Headers["Content-Encoding"]);
        Assert.Equal("86400", push.Headers["TTL"]);
        // RFC 8292: "vapid t=<JWT>, k=<public key>", the JWT for this push service's origin, signed with that key.
        var vapid = push.Headers["Authorization"];
        Assert.StartsWith("vapid ", vapid, StringComparison.Ordinal);
        var parts = vapid[6..].Split(',', StringSplitOptions.TrimEntries).ToDictionary(p => p[..p.IndexOf('=')], p => p[(p.IndexOf('=') + 1)..]);
        Assert.Equal(vapidKey, parts["k"]);
        var jwt = parts["t"].Split('.');
        var point = WebEncoders.Base64UrlDecode(vapidKey);
        using (var signer = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } }))
        {
            Assert.True(signer.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), WebEncoders.Base64UrlDecode(jwt[2]), HashAlgorithmName.SHA256));
        }

        var claims = JsonDocument.Parse(WebEncoders.Base64UrlDecode(jwt[1])).RootElement;
        // The library writes the origin without its port; production endpoints are on the default https port, where that is the origin.
        Assert.Equal($"{service.Address.Scheme}://{service.Address.Host}", claims.GetProperty("aud").GetString());
        Assert.Equal(Subject, claims.GetProperty("sub").GetString());
        Assert.True(claims.GetProperty("exp").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds());

        var content = JsonDocument.Parse(browser.Decrypt(push.Body)).RootElement;
        Assert.Equal("follow", content.GetProperty("topic").GetString());
        Assert.Equal("Push Fan followed you", content.GetProperty("body").GetString());
        Assert.StartsWith("/users/", content.GetProperty("url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PreferenceOff_PushesNothing_And_AGoneSubscription_IsRemoved()
    {
        var (artist, artistId) = await UserAsync("Quiet Artist");
        using var browser = new Browser();
        var endpoint = new Uri(service.Address, $"wp/{Guid.NewGuid():N}");
        var device = await RegisterAsync(artist, new { kind = "webPush", subscription = browser.Subscription(endpoint) });

        var defaults = await (await artist.GetAsync("/api/users/me/push-preferences")).BodyAsync();
        Assert.Equal((true, false, true), (defaults.GetProperty("topics").GetProperty("follow").GetBoolean(),
            defaults.GetProperty("topics").GetProperty("like").GetBoolean(), defaults.GetProperty("topics").GetProperty("jobFinished").GetBoolean()));
        var off = await (await artist.PutAsJsonAsync("/api/users/me/push-preferences", new { topics = new { follow = false } })).BodyAsync();
        Assert.False(off.GetProperty("topics").GetProperty("follow").GetBoolean());

        var (first, _) = await UserAsync("Unheard Fan");
        await FollowAsync(first, artistId);
        Assert.Equal(0, await platform.Services.GetRequiredService<IPushOutbox>().CountAsync());

        // On again: the next follower is pushed, and only that one ever was.
        await artist.PutAsJsonAsync("/api/users/me/push-preferences", new { topics = new Dictionary<string, bool> { ["follow"] = true } });
        var (second, _) = await UserAsync("Heard Fan");
        await FollowAsync(second, artistId);
        var push = await service.WaitForAsync(r => r.Path == endpoint.AbsolutePath);
        Assert.Equal("Heard Fan followed you", JsonDocument.Parse(browser.Decrypt(push.Body)).RootElement.GetProperty("body").GetString());
        Assert.Single(service.To(endpoint.AbsolutePath));

        // The browser unsubscribed: its push service answers 410, and the device is removed.
        service.Respond = r => new PushServiceStandIn.Answer(r.Path == endpoint.AbsolutePath ? 410 : 201);
        var (third, _) = await UserAsync("Late Fan");
        await FollowAsync(third, artistId);
        await WaitUntilAsync(async () => (await (await artist.GetAsync("/api/devices")).BodyAsync()).GetArrayLength() == 0);
        Assert.Equal(2, service.To(endpoint.AbsolutePath).Count);
        Assert.Equal(HttpStatusCode.NotFound, (await artist.DeleteAsync($"/api/devices/{device.GetProperty("id").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task FcmAndApnsDevices_GetTheSamePush_InTheirServicesShapes()
    {
        var (artist, artistId) = await UserAsync("Phone Artist");
        var fcmToken = "fcm-" + Guid.NewGuid().ToString("N") + ":APA91b_stand-in";
        var apnsToken = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        await RegisterAsync(artist, new { kind = "fcm", name = "Pixel", token = fcmToken });
        await RegisterAsync(artist, new { kind = "apns", name = "iPhone", token = apnsToken });
        var (fan, _) = await UserAsync("Phone Fan");
        await FollowAsync(fan, artistId);

        var fcm = await service.WaitForAsync(r => r.Path == "/v1/projects/jacameno-test/messages:send");
        Assert.Equal("Bearer ya29.stand-in", fcm.Headers["Authorization"]);
        var message = JsonDocument.Parse(fcm.Body).RootElement.GetProperty("message");
        Assert.Equal(fcmToken, message.GetProperty("token").GetString());
        Assert.Equal("Phone Fan followed you", message.GetProperty("notification").GetProperty("body").GetString());
        Assert.Equal("follow", message.GetProperty("data").GetProperty("topic").GetString());
        // The access token came from the service account's signed assertion (RFC 7523).
        var form = System.Web.HttpUtility.ParseQueryString(Assert.Single(service.To("/token")).Text);
        Assert.Equal("urn:ietf:params:oauth:grant-type:jwt-bearer", form["grant_type"]);
        var assertion = JsonDocument.Parse(WebEncoders.Base64UrlDecode(form["assertion"]!.Split('.')[1])).RootElement;
        Assert.Equal("https://www.googleapis.com/auth/firebase.messaging", assertion.GetProperty("scope").GetString());

        var apns = await service.WaitForAsync(r => r.Path == $"/3/device/{apnsToken}");
        Assert.Equal(("org.jacameno.app", "alert"), (apns.Headers["apns-topic"], apns.Headers["apns-push-type"]));
        var jwt = apns.Headers["Authorization"]["bearer ".Length..].Split('.');
        var header = JsonDocument.Parse(WebEncoders.Base64UrlDecode(jwt[0])).RootElement;
        Assert.Equal(("ES256", "ABC123DEFG"), (header.GetProperty("alg").GetString(), header.GetProperty("kid").GetString()));
        Assert.True(apnsKey.VerifyData(Encoding.ASCII.GetBytes(jwt[0] + "." + jwt[1]), WebEncoders.Base64UrlDecode(jwt[2]), HashAlgorithmName.SHA256));
        Assert.Equal("TEAM123456", JsonDocument.Parse(WebEncoders.Base64UrlDecode(jwt[1])).RootElement.GetProperty("iss").GetString());
        var aps = JsonDocument.Parse(apns.Body).RootElement.GetProperty("aps").GetProperty("alert");
        Assert.Equal("Phone Fan followed you", aps.GetProperty("body").GetString());

        // GraphQL sees the same registry.
        var graph = await (await artist.PostAsJsonAsync("/graphql", new { query = "{ devices { kind name } pushPreferences { topic enabled } }" })).BodyAsync();
        Assert.Equal(["fcm", "apns"], graph.GetProperty("data").GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task SigningOut_RemovesTheDevicesThatSessionRegistered_OnlyThose()
    {
        var email = $"u{Guid.NewGuid():N}@example.org";
        var phone = await platform.RegisterAsync(email, displayName: "Two Devices");
        using var anonymous = platform.CreateClient();
        var laptop = (await (await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = "correct horse 9" })).Content.ReadFromJsonAsync<Auth.TokenResponse>(Json.Options))!;
        using var phoneClient = platform.CreateClient(phone.AccessToken);
        using var laptopClient = platform.CreateClient(laptop.AccessToken);
        await RegisterAsync(phoneClient, new { kind = "fcm", name = "Phone", token = "fcm-" + Guid.NewGuid().ToString("N") });
        await RegisterAsync(laptopClient, new { kind = "fcm", name = "Laptop", token = "fcm-" + Guid.NewGuid().ToString("N") });

        // The phone signs out: its device goes, the laptop's stays (REST and GraphQL say the same).
        Assert.Equal(HttpStatusCode.NoContent, (await anonymous.PostAsJsonAsync("/api/auth/logout", new { refreshToken = phone.RefreshToken })).StatusCode);
        var left = await (await laptopClient.GetAsync("/api/devices")).BodyAsync();
        Assert.Equal(["Laptop"], left.EnumerateArray().Select(d => d.GetProperty("name").GetString()));
        var graph = await (await laptopClient.PostAsJsonAsync("/graphql", new { query = "{ devices { name } }" })).BodyAsync();
        Assert.Equal(["Laptop"], graph.GetProperty("data").GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("name").GetString()));

        // Signing out everywhere takes the rest.
        Assert.Equal(HttpStatusCode.NoContent, (await laptopClient.PostAsync("/api/auth/logout-all", null)).StatusCode);
        var again = (await (await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = "correct horse 9" })).Content.ReadFromJsonAsync<Auth.TokenResponse>(Json.Options))!;
        using var againClient = platform.CreateClient(again.AccessToken);
        Assert.Equal(0, (await (await againClient.GetAsync("/api/devices")).BodyAsync()).GetArrayLength());
    }

    [Fact]
    public async Task ARedirect_IsNotFollowed_AFlood_IsNotRead_AndASlowService_IsTriedAgain_WithoutHoldingOthers()
    {
        var (artist, artistId) = await UserAsync("Hostile Endpoints");
        using var browser = new Browser();
        var (redirect, flood, slow, good) = (new Uri(service.Address, "wp/redirect"), new Uri(service.Address, "wp/flood"), new Uri(service.Address, "wp/slow"), new Uri(service.Address, "wp/good"));
        var slowTries = 0;
        service.Respond = r => r.Path switch
        {
            "/wp/redirect" => new PushServiceStandIn.Answer(307, Headers: new Dictionary<string, string> { ["Location"] = new Uri(service.Address, "wp/elsewhere").ToString() }),
            "/wp/flood" => new PushServiceStandIn.Answer(201, BodyBytes: 64L * 1024 * 1024),
            "/wp/slow" => Interlocked.Increment(ref slowTries) == 1 ? new PushServiceStandIn.Answer(201, Delay: TimeSpan.FromSeconds(8)) : new PushServiceStandIn.Answer(201),
            _ => new PushServiceStandIn.Answer(201),
        };
        foreach (var endpoint in new[] { redirect, flood, slow, good })
        {
            using var each = new Browser();
            await RegisterAsync(artist, new { kind = "webPush", subscription = each.Subscription(endpoint) });
        }

        var (fan, _) = await UserAsync("Fan Of Hostiles");
        var started = DateTimeOffset.UtcNow;
        await FollowAsync(fan, artistId);
        await service.WaitForAsync(r => r.Path == "/wp/good");
        Assert.True(DateTimeOffset.UtcNow - started < TimeSpan.FromSeconds(6), "The slow push service held the others.");

        // The slow one timed out after 2 s and is tried again; the redirect and the flood are done with after one request.
        await WaitUntilAsync(() => Task.FromResult(service.To("/wp/slow").Count >= 2));
        await WaitUntilAsync(async () => await platform.Services.GetRequiredService<IPushOutbox>().CountAsync() == 0);
        Assert.Empty(service.To("/wp/elsewhere"));
        Assert.Single(service.To("/wp/redirect"));
        Assert.Single(service.To("/wp/flood"));
        Assert.Equal(4, (await (await artist.GetAsync("/api/devices")).BodyAsync()).GetArrayLength());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, int seconds = 30)
    {
        var until = DateTimeOffset.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTimeOffset.UtcNow < until, "The condition never held.");
            await Task.Delay(100);
        }
    }
}
