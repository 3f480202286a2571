using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Jacameno.Common;
using Jacameno.Frontend.Http;
using Jacameno.Uploads;

namespace Jacameno.Frontend.Uploads;

/// <summary>
/// The tus 1.0 protocol's headers (https://tus.io/protocols/resumable-upload): their names, what the server
/// announces, and strict readers for what clients send. A header that does not parse is a validation error naming it.
/// </summary>
public static class TusHeaders
{
    public const string Version = "1.0.0";
    public const string Resumable = "Tus-Resumable";
    public const string Versions = "Tus-Version";
    public const string Extensions = "Tus-Extension";
    public const string MaxSize = "Tus-Max-Size";
    public const string ChecksumAlgorithms = "Tus-Checksum-Algorithm";
    public const string Offset = "Upload-Offset";
    public const string Length = "Upload-Length";
    public const string DeferLength = "Upload-Defer-Length";
    public const string Metadata = "Upload-Metadata";
    public const string Expires = "Upload-Expires";
    public const string Checksum = "Upload-Checksum";

    /// <summary>The body type of a PATCH (and of a POST that brings its first bytes).</summary>
    public const string OffsetOctetStream = "application/offset+octet-stream";

    public const string SupportedExtensions = "creation,creation-with-upload,creation-defer-length,termination,expiration,checksum";

    /// <summary>Status 460: the PATCH's bytes are not what its Upload-Checksum says; they were dropped.</summary>
    public const int ChecksumMismatch = 460;

    /// <summary>The longest Upload-Metadata header taken, in characters.</summary>
    public const int MaxMetadataLength = 4096;

    public static readonly IReadOnlyDictionary<string, HashAlgorithmName> Algorithms = new Dictionary<string, HashAlgorithmName>(StringComparer.Ordinal)
    {
        // sha1 is the algorithm every tus server must offer; it guards against corruption in transit, not forgery.
        ["sha1"] = HashAlgorithmName.SHA1,
        ["sha256"] = HashAlgorithmName.SHA256,
        ["sha512"] = HashAlgorithmName.SHA512,
    };

    /// <summary>A byte count or offset: decimal digits only (no sign, no spaces), at most <see cref="long.MaxValue"/>.</summary>
    public static long ReadCount(HttpRequest request, string header)
    {
        var text = request.Headers[header].ToString();
        return text.Length is > 0 and <= 19 && text.All(char.IsAsciiDigit) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw DomainException.Invalid(header, $"{header} must be a whole number of bytes, 0 or more.");
    }

    /// <summary>
    /// Whether a creation defers its length (Upload-Defer-Length: 1, the only value tus allows); it then sends no
    /// Upload-Length. Both, or any other value, is a validation error.
    /// </summary>
    public static bool ReadDeferLength(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(DeferLength, out var value))
        {
            return false;
        }

        return value.ToString() != "1"
            ? throw DomainException.Invalid(DeferLength, $"{DeferLength} is 1 when it is sent.")
            : request.Headers.ContainsKey(Length)
                ? throw DomainException.Invalid(DeferLength, $"Send {Length} or {DeferLength}, not both.")
                : true;
    }

    /// <summary>The checksum a PATCH announces for its body (algorithm and digest), or null without one.</summary>
    public static (HashAlgorithmName Algorithm, byte[] Digest)? ReadChecksum(HttpRequest request)
    {
        if (!request.Headers.TryGetValue(Checksum, out var values))
        {
            return null;
        }

        var parts = values.ToString().Split(' ');
        if (parts.Length != 2 || !Algorithms.TryGetValue(parts[0], out var algorithm))
        {
            throw DomainException.Invalid(Checksum, $"{Checksum} must be an algorithm ({string.Join(", ", Algorithms.Keys)}), a space and the Base64 digest of the body.");
        }

        var digest = new byte[64];
        return Convert.TryFromBase64String(parts[1], digest, out var written)
            ? (algorithm, digest[..written])
            : throw DomainException.Invalid(Checksum, $"The digest of {Checksum} is not Base64.");
    }

    /// <summary>
    /// Upload-Metadata: comma-separated pairs of a key and a Base64 value (the value may be left out). Keys are printable
    /// ASCII without spaces or commas, each at most once; values are UTF-8 text here, as every key this API reads is.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(HttpRequest request)
    {
        var header = request.Headers[Metadata].ToString();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (header.Length > MaxMetadataLength)
        {
            throw DomainException.Invalid(Metadata, $"{Metadata} is longer than {MaxMetadataLength} characters.");
        }

        foreach (var pair in header.Length == 0 ? [] : header.Split(','))
        {
            var fields = pair.Trim().Split(' ');
            var key = fields[0];
            if (fields.Length > 2 || key.Length == 0 || !key.All(c => c is > ' ' and <= '~') || metadata.ContainsKey(key))
            {
                throw DomainException.Invalid(Metadata, $"{Metadata} must be comma-separated pairs of a key and a Base64 value, each key once.");
            }

            metadata[key] = fields.Length == 2 ? Decode(fields[1]) : "";
        }

        return metadata;
    }

    /// <summary>Upload-Metadata of an upload as HEAD answers it.</summary>
    public static string WriteMetadata(ResumableUpload upload)
    {
        var pairs = new List<(string Key, string Value)> { ("filename", upload.FileName), ("purpose", ApiEnums.Name(upload.Purpose)) };
        if (upload.TargetId is { } target)
        {
            pairs.Add(("releaseId", target.ToString()));
        }

        return string.Join(',', pairs.Select(p => $"{p.Key} {Convert.ToBase64String(Encoding.UTF8.GetBytes(p.Value))}"));
    }

    /// <summary>An HTTP date, as Upload-Expires takes it.</summary>
    public static string HttpDate(DateTimeOffset time) => time.ToUniversalTime().ToString("r", CultureInfo.InvariantCulture);

    private static string Decode(string base64)
    {
        var bytes = new byte[base64.Length];
        try
        {
            return Convert.TryFromBase64String(base64, bytes, out var written)
                ? new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 0, written)
                : throw DomainException.Invalid(Metadata, $"A value of {Metadata} is not Base64.");
        }
        catch (DecoderFallbackException)
        {
            throw DomainException.Invalid(Metadata, $"A value of {Metadata} is not UTF-8 text.");
        }
    }
}
