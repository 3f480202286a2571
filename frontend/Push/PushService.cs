using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Jacameno.Common;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Http;
using Jacameno.Push;
using Jacameno.Storage.Push;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Push;

/// <summary>The device registry and push preferences; REST and GraphQL both call these.</summary>
public sealed partial class PushService(IPushDevices devices, IEnumerable<IPushSender> senders, IOptions<PushOptions> options, TimeProvider clock, VapidKeys? vapid = null)
{
    private const int MaxEndpointLength = 2048;
    private const int MaxNameLength = 100;

    public PushConfigResponse Config() => new(vapid?.PublicKey, [.. senders.Select(s => ApiEnums.Name(s.Kind))]);

    /// <summary>Registers the caller's device, tied to the caller's sign-in session: when that ends, the device goes.</summary>
    public async Task<DeviceResponse> RegisterAsync(ClaimsPrincipal caller, RegisterDeviceRequest request)
    {
        var userId = caller.UserId();
        var kind = ApiEnums.Parse<PushDeviceKind>(request.Kind, "kind") ?? throw DomainException.Invalid("kind", "kind is webPush, fcm or apns.");
        if (!senders.Any(s => s.Kind == kind))
        {
            throw DomainException.Invalid("kind", $"This server does not deliver {ApiEnums.Name(kind)} pushes.");
        }

        var name = request.Name?.Trim() is { Length: > 0 } given ? given : kind switch
        {
            PushDeviceKind.WebPush => "Browser",
            PushDeviceKind.Fcm => "Android device",
            _ => "Apple device",
        };
        if (name.Length > MaxNameLength || name.Any(char.IsControl))
        {
            throw DomainException.Invalid("name", $"name is at most {MaxNameLength} characters, without control characters.");
        }

        var device = kind == PushDeviceKind.WebPush
            ? WebPushDevice(userId, name, request.Subscription)
            : new PushDevice(Guid.NewGuid(), userId, kind, name, Token(kind, request.Token), null, null, clock.GetUtcNow());
        device = device with { SessionId = caller.SessionId() };
        var registered = await devices.RegisterAsync(device, options.Value.MaxDevicesPerUser)
            ?? throw new DomainException(DomainErrorKind.Conflict, $"An account may have {options.Value.MaxDevicesPerUser} devices; remove one first.");
        return DeviceResponse.From(registered);
    }

    public async Task<IReadOnlyList<DeviceResponse>> ListAsync(Guid userId) => [.. (await devices.ListAsync(userId)).Select(DeviceResponse.From)];

    public async Task RemoveAsync(Guid userId, Guid id)
    {
        if (!await devices.RemoveAsync(id, userId))
        {
            throw DomainException.NotFound("The device");
        }
    }

    public async Task<PushPreferencesResponse> PreferencesAsync(Guid userId) =>
        new((await devices.GetPreferencesAsync(userId)).ToDictionary(p => ApiEnums.Name(p.Key), p => p.Value));

    public async Task<PushPreferencesResponse> SetPreferencesAsync(Guid userId, IReadOnlyDictionary<string, bool>? topics)
    {
        if (topics is null || topics.Count == 0)
        {
            throw DomainException.Invalid("topics", "topics maps topic names to true or false.");
        }

        var parsed = new Dictionary<PushTopic, bool>();
        foreach (var (topic, enabled) in topics)
        {
            parsed[ApiEnums.Parse<PushTopic>(topic, "topics")!.Value] = enabled;
        }

        await devices.SetPreferencesAsync(userId, parsed);
        return await PreferencesAsync(userId);
    }

    private PushDevice WebPushDevice(Guid userId, string name, WebPushSubscriptionRequest? subscription)
    {
        var endpoint = subscription?.Endpoint is { Length: > 0 and <= MaxEndpointLength } text && Uri.TryCreate(text, UriKind.Absolute, out var uri) ? uri
            : throw DomainException.Invalid("subscription.endpoint", $"subscription.endpoint is the subscription's absolute URL, at most {MaxEndpointLength} characters.");
        if (EndpointProblem(endpoint) is { } problem)
        {
            throw DomainException.Invalid("subscription.endpoint", problem);
        }

        var p256dh = Base64Url(subscription!.Keys?.P256dh);
        if (p256dh is not { Length: 65 } || p256dh[0] != 0x04 || !IsCurvePoint(p256dh))
        {
            throw DomainException.Invalid("subscription.keys.p256dh", "subscription.keys.p256dh is the browser's P-256 public key (65 bytes, base64url).");
        }

        if (Base64Url(subscription.Keys?.Auth) is not { Length: 16 } auth)
        {
            throw DomainException.Invalid("subscription.keys.auth", "subscription.keys.auth is the browser's 16-byte auth secret (base64url).");
        }

        return new PushDevice(Guid.NewGuid(), userId, PushDeviceKind.WebPush, name, endpoint.AbsoluteUri,
            WebEncoders.Base64UrlEncode(p256dh), WebEncoders.Base64UrlEncode(auth), clock.GetUtcNow());
    }

    /// <summary>
    /// Why the server must not send requests to this URL, or null: it is https on the default port, without user
    /// info, on a host of the allow-list, and not an address literal outside the public internet. (Names are checked
    /// again on the address connected to, by <see cref="PushHttp"/>.)
    /// </summary>
    public string? EndpointProblem(Uri endpoint)
    {
        var local = options.Value.AllowLocalEndpoints;
        var hosts = options.Value.AllowedHosts.Count > 0 ? options.Value.AllowedHosts : PushOptions.BrowserPushServices;
        var host = endpoint.IdnHost.TrimEnd('.').ToLowerInvariant();
        return endpoint.Scheme != Uri.UriSchemeHttps && !(local && endpoint.Scheme == Uri.UriSchemeHttp) ? "subscription.endpoint must be an https URL."
            : endpoint.UserInfo.Length > 0 || endpoint.Fragment.Length > 0 ? "subscription.endpoint may not carry user info or a fragment."
            : !endpoint.IsDefaultPort && !local ? "subscription.endpoint must be on the default https port."
            : IPAddress.TryParse(endpoint.Host.Trim('[', ']'), out var address) && !local && !PushHttp.IsPublic(address) ? "subscription.endpoint may not be a private, loopback or link-local address."
            : !hosts.Any(h => HostMatches(host, h.Trim().TrimEnd('.').ToLowerInvariant())) ? $"subscription.endpoint is not on a push service this server sends to ({string.Join(", ", hosts)})."
            : null;
    }

    private static bool HostMatches(string host, string pattern) =>
        pattern.StartsWith("*.", StringComparison.Ordinal) ? host.EndsWith(pattern[1..], StringComparison.Ordinal) && host.Length > pattern.Length - 1 : host == pattern;

    private static string Token(PushDeviceKind kind, string? token)
    {
        var valid = kind == PushDeviceKind.Fcm ? token is { Length: <= 4096 } && FcmToken().IsMatch(token) : token is { Length: <= 200 } && ApnsToken().IsMatch(token);
        return valid
            ? kind == PushDeviceKind.Apns ? token!.ToLowerInvariant() : token!
            : throw DomainException.Invalid("token", kind == PushDeviceKind.Fcm
                ? "token is the FCM registration token (letters, digits, '-', '_', ':', at most 4096 characters)."
                : "token is the APNs device token (64 to 200 hexadecimal digits).");
    }

    private static byte[]? Base64Url(string? text)
    {
        try
        {
            return text is { Length: > 0 and < 200 } ? WebEncoders.Base64UrlDecode(text.TrimEnd('=')) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool IsCurvePoint(byte[] point)
    {
        try
        {
            using var key = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = point[1..33], Y = point[33..] } });
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_:.-]+$")]
    private static partial Regex FcmToken();

    [GeneratedRegex("^([0-9A-Fa-f]{2}){32,100}$")]
    private static partial Regex ApnsToken();
}
