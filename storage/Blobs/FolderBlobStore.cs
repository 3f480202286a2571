using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Jacameno.Storage.Blobs;

/// <summary>
/// Blobs as files under one folder (embedded mode). Writes land in a temporary file that is renamed into
/// place, so a reader never sees half an object. Download URLs are signed with HMAC-SHA256 and an expiry,
/// and served by the frontend at <see cref="DownloadPath"/>.
/// </summary>
public sealed class FolderBlobStore(string root, byte[] signingKey, TimeProvider clock) : IBlobStore
{
    public const string DownloadPath = "/api/blobs/";
    private const string MetaSuffix = ".content-type";

    private readonly string objects = Path.Combine(Path.GetFullPath(root), "objects");
    private readonly string temp = Path.Combine(Path.GetFullPath(root), "tmp");

    public async Task<BlobInfo> PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Directory.CreateDirectory(temp);
        var scratch = Path.Combine(temp, Guid.NewGuid().ToString("N"));
        try
        {
            long length;
            await using (var file = new FileStream(scratch, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
                length = file.Length;
            }

            await File.WriteAllTextAsync(path + MetaSuffix, contentType, cancellationToken);
            File.Move(scratch, path, overwrite: true);
            return new BlobInfo(key, length, contentType);
        }
        finally
        {
            File.Delete(scratch);
        }
    }

    public async Task<BlobContent?> GetAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        if (await OpenFileAsync(key, cancellationToken) is not var (file, contentType))
        {
            return null;
        }

        var total = file.Length;
        var (start, count) = BlobRange.Clamp(offset, length, total);
        file.Position = start;
        return new BlobContent(new BoundedStream(file, count), start, count, total, contentType);
    }

    /// <summary>The object as a seekable file (the download endpoint serves ranges from it); null when missing.</summary>
    public async Task<(FileStream File, string ContentType)?> OpenFileAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, FileOptions.Asynchronous);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }

        var contentType = File.Exists(path + MetaSuffix) ? await File.ReadAllTextAsync(path + MetaSuffix, cancellationToken) : "application/octet-stream";
        return (file, contentType);
    }

    public Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default) => Task.FromResult(File.Exists(PathOf(key)));

    public Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        var path = PathOf(key);
        // File.Delete ignores a missing file but not a missing folder; either way the object is gone.
        if (Directory.Exists(Path.GetDirectoryName(path)))
        {
            File.Delete(path);
            File.Delete(path + MetaSuffix);
        }

        return Task.CompletedTask;
    }

    public Task<Uri> GetDownloadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        var expires = clock.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        var url = $"{DownloadPath}{key}?expires={expires}&sig={Sign(key, expires)}";
        return Task.FromResult(new Uri(url, UriKind.Relative));
    }

    /// <summary>Whether a signed URL's parts are genuine and not expired.</summary>
    public bool VerifyDownload(string key, string? expires, string? signature)
    {
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var expiresAt) || signature is null
            || clock.GetUtcNow().ToUnixTimeSeconds() > expiresAt)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(key, expiresAt));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature));
    }

    private string Sign(string key, long expires) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes($"{key}\n{expires}")));

    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(objects, BlobKey.Validate(key)));
        // BlobKey already refuses "..", this is the second lock on the same door.
        return path.StartsWith(objects + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new ArgumentException($"'{key}' is not a valid blob key.", nameof(key));
    }
}
