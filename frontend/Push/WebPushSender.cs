using System.Text.Json;
using Jacameno.Storage.Push;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;

namespace Jacameno.Frontend.Push;

/// <summary>
/// Web Push (RFC 8030) to browsers through Lib.Net.Http.WebPush: the payload encrypted for the subscription
/// (aes128gcm, RFC 8291), the request signed with the VAPID key (RFC 8292).
/// </summary>
public sealed class WebPushSender(PushHttp http, VapidKeys keys) : IPushSender
{
    /// <summary>How long a push service keeps a push for a browser that is offline.</summary>
    private const int TimeToLiveSeconds = 24 * 60 * 60;

    // The library's own wait on 429 Retry-After is off: the outbox retries, and a service cannot hold the sender.
    private readonly PushServiceClient client = new(http.Client) { AutoRetryAfter = false, DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid };

    public PushDeviceKind Kind => PushDeviceKind.WebPush;

    public async Task<PushOutcome> SendAsync(PushDevice device, PushContent content, CancellationToken cancellationToken)
    {
        var subscription = new PushSubscription { Endpoint = device.Address };
        subscription.SetKey(PushEncryptionKeyName.P256DH, device.P256dh!);
        subscription.SetKey(PushEncryptionKeyName.Auth, device.Auth!);
        var message = new PushMessage(JsonSerializer.Serialize(content, JsonSerializerOptions.Web)) { TimeToLive = TimeToLiveSeconds, Urgency = PushMessageUrgency.Normal };
        using var vapid = new VapidAuthentication(keys.PublicKey, keys.PrivateKey) { Subject = keys.Subject };
        try
        {
            await client.RequestPushMessageDeliveryAsync(subscription, message, vapid, cancellationToken);
            return PushOutcome.Delivered;
        }
        catch (PushServiceClientException e)
        {
            return PushOutcome.FromStatus(e.StatusCode, e.Body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return PushOutcome.FromException(e);
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or ArgumentException or FormatException)
        {
            // Keys that passed registration but that the library cannot encrypt for: this device never will.
            return new PushOutcome(PushResult.Gone, e.Message);
        }
    }
}
