namespace Jacameno.Storage.Blobs;

public static class BlobRange
{
    /// <summary>Clamps a requested range to an object of <paramref name="total"/> bytes.</summary>
    public static (long Start, long Count) Clamp(long offset, long? length, long total)
    {
        var start = Math.Clamp(offset, 0, total);
        var count = Math.Min(length ?? long.MaxValue, total - start);
        return (start, Math.Max(count, 0));
    }
}

/// <summary>A read-only view of the next <c>length</c> bytes of another stream, which it owns.</summary>
internal sealed class BoundedStream(Stream inner, long count) : Stream
{
    private long remaining = count;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length { get; } = count;
    public override long Position { get => Length - remaining; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer[..(int)Math.Min(buffer.Length, remaining)]);
        remaining -= read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer[..(int)Math.Min(buffer.Length, remaining)], cancellationToken);
        remaining -= read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync() => inner.DisposeAsync();
}
