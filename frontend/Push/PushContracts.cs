using Jacameno.Frontend.Http;
using Jacameno.Storage.Push;

namespace Jacameno.Frontend.Push;

/// <summary>
/// A device to push to: <c>webPush</c> with the browser's <c>PushSubscription</c> (as <c>toJSON()</c> gives it), or
/// <c>fcm</c> / <c>apns</c> with the device token; a name to tell it apart in the list.
/// </summary>
public sealed record RegisterDeviceRequest(string? Kind, string? Name, WebPushSubscriptionRequest? Subscription, string? Token);

public sealed record WebPushSubscriptionRequest(string? Endpoint, WebPushKeysRequest? Keys);

public sealed record WebPushKeysRequest(string? P256dh, string? Auth);

/// <summary>A registered device; <see cref="Endpoint"/> is a browser's push endpoint (to tell "this browser" in the list).</summary>
public sealed record DeviceResponse(Guid Id, string Kind, string Name, string? Endpoint, DateTimeOffset CreatedAt)
{
    public static DeviceResponse From(PushDevice device) =>
        new(device.Id, ApiEnums.Name(device.Kind), device.Name, device.Kind == PushDeviceKind.WebPush ? device.Address : null, device.CreatedAt);
}

/// <summary>Whether each topic pushes (by topic name: follow, like, comment, repost, release, sale, jobFinished, projectInvitation).</summary>
public sealed record PushPreferencesResponse(IReadOnlyDictionary<string, bool> Topics);

/// <summary>The topics to change; those left out stay as they are.</summary>
public sealed record PushPreferencesRequest(Dictionary<string, bool>? Topics);

/// <summary>What a client needs to register: the VAPID key browsers subscribe with (null when Web Push is off), and which kinds this server delivers.</summary>
public sealed record PushConfigResponse(string? VapidPublicKey, IReadOnlyList<string> Kinds);
