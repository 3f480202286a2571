namespace Jacameno.Storage.Blobs;

/// <summary>A stored object: its key, size in bytes and media type.</summary>
public sealed record BlobInfo(string Key, long Length, string ContentType);

/// <summary>An open object, or the requested byte range of it.</summary>
public sealed class BlobContent(Stream stream, long offset, long length, long totalLength, string contentType) : IAsyncDisposable
{
    public Stream Stream { get; } = stream;

    /// <summary>Where the returned bytes start in the object.</summary>
    public long Offset { get; } = offset;

    /// <summary>How many bytes <see cref="Stream"/> yields.</summary>
    public long Length { get; } = length;

    /// <summary>The size of the whole object.</summary>
    public long TotalLength { get; } = totalLength;

    public string ContentType { get; } = contentType;

    public ValueTask DisposeAsync() => Stream.DisposeAsync();
}

/// <summary>
/// Audio and other files. Folder under the data directory in embedded mode; S3 in a cluster.
/// Writes stream from sources of unknown length and never hold a whole object in memory.
/// </summary>
public interface IBlobStore
{
    Task<BlobInfo> PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default);

    /// <summary>The object, or <paramref name="length"/> bytes of it from <paramref name="offset"/> (to the end when null); null when missing.</summary>
    Task<BlobContent?> GetAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default);

    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>Deletes the object; deleting a missing one is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken = default);

    /// <summary>
    /// A URL that downloads the object without other credentials until <paramref name="lifetime"/> passes.
    /// Relative (served by the frontend) for the folder store; absolute, pre-signed, for S3.
    /// </summary>
    Task<Uri> GetDownloadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default);
}
