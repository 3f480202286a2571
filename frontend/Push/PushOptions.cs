using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Push;

/// <summary>
/// Push notifications, section <c>Jacameno:Push</c>. Web Push is on by itself in embedded mode (its VAPID keys are
/// made once in the data directory) and needs <see cref="WebPushOptions.PublicKey"/> and
/// <see cref="WebPushOptions.PrivateKey"/> in a cluster; FCM and APNs are on when their keys are set.
/// </summary>
public sealed class PushOptions
{
    public const string SectionName = "Jacameno:Push";

    /// <summary>
    /// The hosts a Web Push endpoint may be on: a name, or <c>*.</c> and a domain for its subdomains. Empty (the default)
    /// means the push services of the browsers people use: Google's (Chrome, Edge on Android), Mozilla's, Microsoft's
    /// and Apple's. The server sends requests to these URLs, so nothing else is accepted (docs/push.md).
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>
    /// Allows plain-http endpoints and pushes to loopback and private addresses. Default false; only for a local push
    /// service in tests and development.
    /// </summary>
    public bool AllowLocalEndpoints { get; set; }

    /// <summary>The most devices one account may register. Default 20.</summary>
    public int MaxDevicesPerUser { get; set; } = 20;

    /// <summary>How long one push request may take, connecting included, before it counts as failed and is tried again. Default 10 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two tries of a push (waits double from 2 seconds up to this). Default 10 minutes.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>A push still unsent this long after its event is dropped (it is news no more). Default 1 day.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromDays(1);

    public WebPushOptions WebPush { get; set; } = new();

    public FcmOptions Fcm { get; set; } = new();

    public ApnsOptions Apns { get; set; } = new();

    /// <summary>The push services of the common browsers, when <see cref="AllowedHosts"/> is empty.</summary>
    public static readonly IReadOnlyList<string> BrowserPushServices =
        ["fcm.googleapis.com", "android.googleapis.com", "*.push.services.mozilla.com", "*.notify.windows.com", "*.push.apple.com"];
}

public sealed class WebPushOptions
{
    /// <summary>The VAPID public key (an uncompressed P-256 point, base64url). Unset in embedded mode: made and kept under <c>data/keys/</c>.</summary>
    public string? PublicKey { get; set; }

    /// <summary>The VAPID private key (the P-256 scalar, base64url).</summary>
    public string? PrivateKey { get; set; }

    /// <summary>Whom a push service may contact about our pushes: a <c>mailto:</c> or <c>https:</c> URI. Default the public URL when it is https, else <c>mailto:admin@localhost</c>.</summary>
    public string? Subject { get; set; }
}

public sealed class FcmOptions
{
    /// <summary>A Firebase service account's JSON key (its text); FCM is on when this or <see cref="ServiceAccountFile"/> is set.</summary>
    public string? ServiceAccountJson { get; set; }

    /// <summary>A path to the service account's JSON key file.</summary>
    public string? ServiceAccountFile { get; set; }

    /// <summary>The FCM HTTP v1 API. Default <c>https://fcm.googleapis.com</c>.</summary>
    public Uri BaseUrl { get; set; } = new("https://fcm.googleapis.com");
}

public sealed class ApnsOptions
{
    /// <summary>The token-signing key (.p8, PEM text); APNs is on when this or <see cref="KeyFile"/> is set with the ids below.</summary>
    public string? Key { get; set; }

    /// <summary>A path to the .p8 key file.</summary>
    public string? KeyFile { get; set; }

    /// <summary>The key's id (10 characters, from the Apple developer account).</summary>
    public string? KeyId { get; set; }

    /// <summary>The team id the key belongs to.</summary>
    public string? TeamId { get; set; }

    /// <summary>The app's bundle id (the <c>apns-topic</c>).</summary>
    public string? Topic { get; set; }

    /// <summary>Default <c>https://api.push.apple.com</c>; <c>https://api.sandbox.push.apple.com</c> for development builds.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.push.apple.com");
}

public sealed class PushOptionsValidator : IValidateOptions<PushOptions>
{
    public ValidateOptionsResult Validate(string? name, PushOptions options)
    {
        var apns = options.Apns;
        var apnsKey = apns.Key is { Length: > 0 } || apns.KeyFile is { Length: > 0 };
        string? failure = options.MaxDevicesPerUser is < 1 or > 1000 ? "MaxDevicesPerUser must be 1 to 1000."
            : options.Timeout <= TimeSpan.Zero || options.Timeout > TimeSpan.FromMinutes(2) ? "Timeout must be more than zero and at most 2 minutes."
            : options.MaxRetryDelay <= TimeSpan.Zero ? "MaxRetryDelay must be positive."
            : options.GiveUpAfter <= TimeSpan.Zero ? "GiveUpAfter must be positive."
            : options.AllowedHosts.Any(h => string.IsNullOrWhiteSpace(h) || h.Contains('/') || h.Contains(':') && !h.StartsWith('[')) ? "AllowedHosts are host names (or *.domain), without scheme, port or path."
            : (options.WebPush.PublicKey is { Length: > 0 }) != (options.WebPush.PrivateKey is { Length: > 0 }) ? "WebPush:PublicKey and WebPush:PrivateKey are set together."
            : options.WebPush.Subject is { Length: > 0 } s && !s.StartsWith("mailto:", StringComparison.Ordinal) && !s.StartsWith("https://", StringComparison.Ordinal) ? "WebPush:Subject is a mailto: or https: URI."
            : apnsKey && (apns.KeyId is not { Length: > 0 } || apns.TeamId is not { Length: > 0 } || apns.Topic is not { Length: > 0 }) ? "Apns needs KeyId, TeamId and Topic beside its key."
            : null;
        return failure is null ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail($"{PushOptions.SectionName}: {failure}");
    }
}
