using Jacameno.Audio.Formats;
using Jacameno.Common;
using Jacameno.Storage.Blobs;
using Jacameno.Users;
using Microsoft.Extensions.Options;

namespace Jacameno.Assets;

/// <summary>How a file becomes an asset, for uploads, DAWproject imports and job outputs alike.</summary>
public static class AssetFiles
{
    /// <summary>
    /// Streams <paramref name="content"/> to the blob store, counts it against the owner's storage
    /// (<paramref name="quotaBytes"/>, null for none) once its size is known, and creates the asset, whose
    /// processing starts at once. When anything fails (over quota, <paramref name="requireContent"/> and
    /// empty, the stream throws) nothing is kept. <paramref name="assetId"/> makes the asset's id chosen (so a retry
    /// finds it taken instead of making another); <paramref name="licenseId"/> is the purchase it comes under.
    /// </summary>
    public static async Task<AssetInfo> CreateAsync(IGrainFactory grains, IBlobStore blobs, Guid ownerId, long? quotaBytes,
        Stream content, string fileName, CancellationToken cancellationToken, bool requireContent = false,
        Guid? assetId = null, Guid? licenseId = null)
    {
        var id = assetId ?? Guid.NewGuid();
        var key = $"assets/{id:N}/original";
        try
        {
            // The stored media type comes from the file's own first bytes, never from the client: a blob is
            // served with it, and a client's "text/html" would turn an upload into a page on the app's origin.
            var head = new byte[AudioContainer.HeadLength];
            var read = await content.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, cancellationToken);
            var contentType = AudioContainer.Sniff(head.AsSpan(0, read))?.ContentType ?? "application/octet-stream";
            await using var whole = new PrefixedStream(head.AsMemory(0, read), content);
            var stored = await blobs.PutAsync(key, whole, contentType, cancellationToken);
            if (requireContent && stored.Length == 0)
            {
                throw DomainException.Invalid("file", "The file is empty.");
            }

            await grains.GetGrain<IUserGrain>(ownerId).ReserveStorageAsync(stored.Length, quotaBytes);
            return await grains.GetGrain<IAssetGrain>(id).CreateAsync(ownerId, new AssetUpload(fileName, contentType, key, stored.Length, licenseId));
        }
        catch
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// The asset <paramref name="assetId"/> of the owner, made from a stored file (a purchase, a library loop) the first
    /// time it is asked for: the same id every time, so the file is copied once.
    /// </summary>
    public static async Task<Guid> CopyOnceAsync(IGrainFactory grains, IBlobStore blobs, Guid ownerId, long? quotaBytes, string blobKey, string fileName,
        Guid assetId, Guid? licenseId)
    {
        try
        {
            await grains.GetGrain<IAssetGrain>(assetId).GetAsync(ownerId);
        }
        catch (DomainException e) when (e.Kind == DomainErrorKind.NotFound)
        {
            await using var content = await blobs.GetAsync(blobKey) ?? throw DomainException.NotFound($"The file {fileName}");
            await CreateAsync(grains, blobs, ownerId, quotaBytes, content.Stream, fileName, CancellationToken.None, assetId: assetId, licenseId: licenseId);
        }

        return assetId;
    }
}

/// <summary>Uploads through the edge: the caller's role sets the quota, and an empty file is refused.</summary>
public sealed class AssetUploads(IGrainFactory grains, IBlobStore blobs, IOptions<AssetOptions> options) : IAssetUploads
{
    public Task<AssetInfo> UploadAsync(Guid ownerId, UserRole role, Stream content, string fileName, CancellationToken cancellationToken = default) =>
        AssetFiles.CreateAsync(grains, blobs, ownerId, options.Value.QuotaFor(role), content, fileName, cancellationToken, requireContent: true);
}

/// <summary>Bytes already read from a stream, then the rest of it: a head read to sniff a file is not lost.</summary>
internal sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : Stream
{
    private ReadOnlyMemory<byte> prefix = prefix;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (prefix.IsEmpty)
        {
            return rest.Read(buffer);
        }

        var n = Math.Min(buffer.Length, prefix.Length);
        prefix.Span[..n].CopyTo(buffer);
        prefix = prefix[n..];
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        prefix.IsEmpty ? await rest.ReadAsync(buffer, cancellationToken) : Read(buffer.Span);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
