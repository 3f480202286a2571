using System.Security.Cryptography;
using Jacameno.Hosting;
using Jacameno.Storage.Blobs;
using Jacameno.Tests;

namespace Jacameno.Grains.Tests;

/// <summary>One contract for every blob store: streamed writes of unknown length read back byte for byte.</summary>
public abstract class BlobStoreContractTests
{
    protected abstract IBlobStore Store { get; }

    /// <summary>Large enough to need several parts where the store uploads in parts.</summary>
    protected virtual int LargeSize => 12 * 1024 * 1024;

    private static string NewKey() => $"tests/{Guid.NewGuid():N}/audio.wav";

    [Fact]
    public async Task Put_UnknownLengthStream_ReadsBackExactly()
    {
        var bytes = RandomNumberGenerator.GetBytes(LargeSize);
        var key = NewKey();
        var info = await Store.PutAsync(key, new ForwardOnlyStream(bytes), "audio/wav");
        Assert.Equal(bytes.Length, info.Length);

        await using var blob = await Store.GetAsync(key);
        Assert.NotNull(blob);
        Assert.Equal(bytes.Length, blob.TotalLength);
        Assert.Equal("audio/wav", blob.ContentType);
        Assert.Equal(SHA256.HashData(bytes), await SHA256.HashDataAsync(blob.Stream));
    }

    [Fact]
    public async Task Put_SmallObject_IsStoredWithoutFraming()
    {
        var key = NewKey();
        var bytes = "22 bytes of plain text"u8.ToArray();
        await Store.PutAsync(key, new ForwardOnlyStream(bytes), "text/plain");
        await using var blob = await Store.GetAsync(key);
        Assert.Equal(bytes, await ReadAllAsync(blob!.Stream));
    }

    [Fact]
    public async Task Get_Range_ReturnsThoseBytes()
    {
        var bytes = RandomNumberGenerator.GetBytes(100_000);
        var key = NewKey();
        await Store.PutAsync(key, new MemoryStream(bytes), "application/octet-stream");
        await using var blob = await Store.GetAsync(key, offset: 1000, length: 500);
        Assert.Equal(1000, blob!.Offset);
        Assert.Equal(500, blob.Length);
        Assert.Equal(bytes.AsSpan(1000, 500).ToArray(), await ReadAllAsync(blob.Stream));

        await using var tail = await Store.GetAsync(key, offset: 99_990);
        Assert.Equal(bytes.AsSpan(99_990).ToArray(), await ReadAllAsync(tail!.Stream));
    }

    [Fact]
    public async Task Exists_Delete_Missing()
    {
        var key = NewKey();
        Assert.False(await Store.ExistsAsync(key));
        Assert.Null(await Store.GetAsync(key));
        await Store.PutAsync(key, new MemoryStream([1, 2, 3]), "application/octet-stream");
        Assert.True(await Store.ExistsAsync(key));
        await Store.DeleteAsync(key);
        Assert.False(await Store.ExistsAsync(key));
        await Store.DeleteAsync(key);
        await Store.DeleteAsync($"{NewKey()}/never/written");
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("a/../../etc/passwd")]
    [InlineData("/absolute")]
    [InlineData("UPPER")]
    [InlineData("a//b")]
    [InlineData("")]
    public async Task Keys_Invalid_AreRefused(string key)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.PutAsync(key, new MemoryStream([1]), "application/octet-stream"));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.GetAsync(key));
    }

    [Fact]
    public async Task Overwrite_ReplacesContent()
    {
        var key = NewKey();
        await Store.PutAsync(key, new MemoryStream([1, 1, 1]), "application/octet-stream");
        await Store.PutAsync(key, new MemoryStream([2, 2]), "application/octet-stream");
        await using var blob = await Store.GetAsync(key);
        Assert.Equal(new byte[] { 2, 2 }, await ReadAllAsync(blob!.Stream));
    }

    protected static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>A stream that cannot seek or tell its length, like a request body.</summary>
    protected sealed class ForwardOnlyStream(byte[] bytes) : Stream
    {
        private readonly MemoryStream inner = new(bytes);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, Math.Min(count, 70_000));
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class FolderBlobStoreTests : BlobStoreContractTests
{
    private readonly ManualClock clock = new(DateTimeOffset.UtcNow);
    private readonly FolderBlobStore store;

    public FolderBlobStoreTests() => store = new FolderBlobStore(TestServices.TempDirectory(), RandomNumberGenerator.GetBytes(32), clock);

    protected override IBlobStore Store => store;

    [Fact]
    public async Task SignedUrl_VerifiesUntilExpiry_AndRejectsTampering()
    {
        var key = "tests/signed.bin";
        await store.PutAsync(key, new MemoryStream([1]), "application/octet-stream");
        var url = (await store.GetDownloadUrlAsync(key, TimeSpan.FromMinutes(5))).ToString();
        var query = System.Web.HttpUtility.ParseQueryString(url[(url.IndexOf('?', StringComparison.Ordinal) + 1)..]);
        Assert.StartsWith(FolderBlobStore.DownloadPath + key, url);
        Assert.True(store.VerifyDownload(key, query["expires"], query["sig"]));
        Assert.False(store.VerifyDownload("tests/other.bin", query["expires"], query["sig"]));
        Assert.False(store.VerifyDownload(key, (long.Parse(query["expires"]!, System.Globalization.CultureInfo.InvariantCulture) + 60).ToString(System.Globalization.CultureInfo.InvariantCulture), query["sig"]));

        clock.Advance(TimeSpan.FromMinutes(6));
        Assert.False(store.VerifyDownload(key, query["expires"], query["sig"]));
    }
}

public sealed class S3BlobStoreTests : BlobStoreContractTests, IAsyncLifetime
{
    private readonly S3Options options = new()
    {
        ServiceUrl = TestServices.S3,
        AccessKey = "S3RVER",
        SecretKey = "S3RVER",
        Bucket = "contract-" + Guid.NewGuid().ToString("N")[..12],
        PartSizeBytes = 5 * 1024 * 1024,
    };

    private S3BlobStore store = null!;

    protected override IBlobStore Store => store;

    public async Task InitializeAsync()
    {
        store = new S3BlobStore(S3BlobStore.CreateClient(options), options);
        await store.EnsureBucketAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task SignedUrl_DownloadsWithPlainHttp()
    {
        var key = "tests/presigned.bin";
        var bytes = RandomNumberGenerator.GetBytes(1000);
        await store.PutAsync(key, new MemoryStream(bytes), "application/octet-stream");
        var url = await store.GetDownloadUrlAsync(key, TimeSpan.FromMinutes(5));
        Assert.Equal("127.0.0.1", url.Host);
        using var http = new HttpClient();
        Assert.Equal(bytes, await http.GetByteArrayAsync(url));
    }
}

/// <summary>A clock the test moves by hand.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}
