using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Jacameno.Storage.Push;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Jacameno.Frontend.Push;

/// <summary>
/// Apple Push Notification service with token-based authentication: a JWT signed with the team's .p8 key (ES256,
/// renewed every 50 minutes: Apple takes one between 20 and 60 minutes old), one HTTP/2 request per push.
/// </summary>
public sealed class ApnsSender : IPushSender, IDisposable
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(50);
    private readonly PushHttp http;
    private readonly ApnsOptions options;
    private readonly ECDsa key = ECDsa.Create();
    private readonly TimeProvider clock;
    private readonly Lock tokenLock = new();
    private (string Value, DateTimeOffset Until)? token;

    public ApnsSender(PushHttp http, ApnsOptions options, TimeProvider clock)
    {
        this.http = http;
        this.options = options;
        this.clock = clock;
        key.ImportFromPem(options.Key is { Length: > 0 } pem ? pem : File.ReadAllText(options.KeyFile!));
    }

    public PushDeviceKind Kind => PushDeviceKind.Apns;

    public async Task<PushOutcome> SendAsync(PushDevice device, PushContent content, CancellationToken cancellationToken)
    {
        try
        {
            var payload = new Dictionary<string, object>
            {
                ["aps"] = new { alert = new { title = content.Title, body = content.Body }, sound = "default" },
                ["id"] = content.EventId,
                ["topic"] = content.Topic,
                ["url"] = content.Url,
            };
            // Device tokens are hex (checked at registration), so the path takes them as they are.
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(options.BaseUrl, "3/device/" + device.Address))
            {
                Content = JsonContent.Create(payload),
                // HTTP/2 as APNs requires; an http:// stand-in in tests falls back to HTTP/1.1.
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("bearer", Token());
            request.Headers.Add("apns-topic", options.Topic);
            request.Headers.Add("apns-push-type", "alert");
            request.Headers.Add("apns-priority", "10");
            request.Headers.Add("apns-expiration", clock.GetUtcNow().AddDays(1).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("apns-id", content.EventId.ToString());
            using var response = await http.Client.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            var reason = Reason(body);
            return (response.StatusCode, reason) switch
            {
                // 410 Unregistered is the usual end of a device; a token for another app or environment never works.
                (HttpStatusCode.BadRequest, "BadDeviceToken" or "DeviceTokenNotForTopic") => new PushOutcome(PushResult.Gone, reason),
                (HttpStatusCode.Forbidden, "ExpiredProviderToken" or "InvalidProviderToken") => Renew(reason),
                _ => PushOutcome.FromStatus(response.StatusCode, body),
            };
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return PushOutcome.FromException(e);
        }
    }

    public void Dispose() => key.Dispose();

    private PushOutcome Renew(string reason)
    {
        lock (tokenLock)
        {
            token = null;
        }

        return new PushOutcome(PushResult.Retry, reason);
    }

    private string Token()
    {
        lock (tokenLock)
        {
            var now = clock.GetUtcNow();
            if (token is not { } cached || cached.Until <= now)
            {
                var signed = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
                {
                    Issuer = options.TeamId,
                    Claims = new Dictionary<string, object> { ["iat"] = now.ToUnixTimeSeconds() },
                    SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = options.KeyId }, SecurityAlgorithms.EcdsaSha256),
                });
                token = cached = (signed, now + TokenLifetime);
            }

            return cached.Value;
        }
    }

    private static string Reason(string body)
    {
        try
        {
            return JsonDocument.Parse(body).RootElement.TryGetProperty("reason", out var reason) ? reason.GetString() ?? "" : "";
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
