namespace Jacameno.Storage.Blobs;

/// <summary>
/// The media types a stored object is served as. Everything the platform stores is audio, a JPEG, JSON, a zip or
/// peaks; a stored type outside this list (an object from an older version that kept a client's "text/html") is
/// served as an opaque download instead, so no object can ever be rendered as a page.
/// </summary>
public static class BlobMediaTypes
{
    public const string Opaque = "application/octet-stream";

    private static readonly HashSet<string> Served = new(StringComparer.OrdinalIgnoreCase)
    {
        "audio/wav", "audio/aiff", "audio/flac", "audio/mpeg", "audio/ogg", "audio/mp4", "audio/aac", "audio/webm",
        "image/jpeg", "application/json", "application/zip", Opaque,
    };

    /// <summary>The type to serve an object stored as <paramref name="storedType"/> with.</summary>
    public static string Safe(string? storedType) => storedType is not null && Served.Contains(storedType) ? storedType : Opaque;
}
