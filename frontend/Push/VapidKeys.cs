using System.Security.Cryptography;
using Jacameno.Hosting;
using Microsoft.AspNetCore.WebUtilities;

namespace Jacameno.Frontend.Push;

/// <summary>
/// The VAPID key pair (RFC 8292) that signs every Web Push request, so push services know the pushes for a
/// subscription come from the server it was made for. Browsers subscribe with <see cref="PublicKey"/>.
/// </summary>
public sealed class VapidKeys(string publicKey, string privateKey, string subject)
{
    /// <summary>The uncompressed P-256 point, base64url: the <c>applicationServerKey</c> of <c>PushManager.subscribe</c>.</summary>
    public string PublicKey { get; } = publicKey;

    public string PrivateKey { get; } = privateKey;

    public string Subject { get; } = subject;

    /// <summary>The keys from configuration; else, in embedded mode, the pair kept under <c>data/keys/</c> (made on first start); else none.</summary>
    public static VapidKeys? Load(PushOptions options, JacamenoOptions platform)
    {
        var subject = options.WebPush.Subject is { Length: > 0 } s ? s
            : platform.PublicUrl.Scheme == Uri.UriSchemeHttps ? platform.PublicUrl.GetLeftPart(UriPartial.Authority) : "mailto:admin@localhost";
        if (options.WebPush is { PublicKey: { Length: > 0 } configuredPublic, PrivateKey: { Length: > 0 } configuredPrivate })
        {
            return new VapidKeys(configuredPublic, configuredPrivate, subject);
        }

        if (platform.Mode != PlatformMode.Embedded)
        {
            return null;
        }

        // A P-256 private key is a 32-byte scalar below the curve's order: random bytes are one but with odds of 2^-32.
        var scalar = KeyFile.LoadOrCreate(platform.DataPath("keys", "vapid-private.key"), 32);
        using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar });
        var point = key.ExportParameters(false).Q;
        return new VapidKeys(WebEncoders.Base64UrlEncode([0x04, .. point.X!, .. point.Y!]), WebEncoders.Base64UrlEncode(scalar), subject);
    }
}
