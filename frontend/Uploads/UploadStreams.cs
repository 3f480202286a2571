using System.Security.Cryptography;
using Jacameno.Storage.Blobs;
using Jacameno.Uploads;

namespace Jacameno.Frontend.Uploads;

/// <summary>
/// A request body that ends where the client's connection did: what arrived before a cut is kept, as tus asks of a
/// server, instead of failing the whole PATCH. A body over the endpoint's size limit still fails.
/// </summary>
internal sealed class SalvagedBodyStream(Stream body) : ReadOnlyStream
{
    private bool cut;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cut)
        {
            return 0;
        }

        try
        {
            return await body.ReadAsync(buffer, cancellationToken);
        }
        // A lost connection surfaces as an I/O error or an abort of the request; the caller's own cancellation (the
        // host stopping) is not a cut, nor is a body past the size limit.
        catch (Exception e) when (e is IOException or OperationCanceledException
            && e is not BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } && !cancellationToken.IsCancellationRequested)
        {
            cut = true;
            return 0;
        }
    }
}

/// <summary>Hashes what is read through it, for <c>Upload-Checksum</c>.</summary>
internal sealed class HashingStream(Stream inner, IncrementalHash hash) : ReadOnlyStream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        hash.AppendData(buffer.Span[..read]);
        return read;
    }
}

/// <summary>
/// An upload's parts read back from the blob store one after another, as one file, then <paramref name="rest"/> when
/// given (a PATCH body that joins the last part). A part that is missing or not the size it was recorded with fails
/// the read: a file with a hole must never become an asset.
/// </summary>
internal sealed class PartsStream(IBlobStore blobs, IReadOnlyList<UploadPart> parts, Stream? rest = null) : ReadOnlyStream
{
    private int next;
    private BlobContent? current;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (current is null)
            {
                if (next == parts.Count || buffer.IsEmpty)
                {
                    return rest is null || buffer.IsEmpty ? 0 : await rest.ReadAsync(buffer, cancellationToken);
                }

                var part = parts[next++];
                current = await blobs.GetAsync(part.BlobKey, cancellationToken: cancellationToken);
                if (current?.TotalLength != part.Length)
                {
                    throw new InvalidDataException($"The bytes from {part.Offset} of the upload are missing from the store.");
                }
            }

            var read = await current.Stream.ReadAsync(buffer, cancellationToken);
            if (read > 0)
            {
                return read;
            }

            await current.DisposeAsync();
            current = null;
        }
    }

    public override async ValueTask DisposeAsync()
    {
        if (current is not null)
        {
            await current.DisposeAsync();
        }

        await base.DisposeAsync();
    }
}

/// <summary>The parts of <see cref="Stream"/> a forward-only reader implements.</summary>
internal abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // Every reader of these (the blob stores, the processing of a finished upload) reads asynchronously.
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
