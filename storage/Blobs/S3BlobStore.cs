using System.Buffers;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Jacameno.Hosting;

namespace Jacameno.Storage.Blobs;

/// <summary>
/// Blobs in S3 or an S3-compatible server. Uploads go part by part (one part in memory at a time) with
/// chunk encoding off: with it on, S3-compatible servers store the aws-chunked framing inside the object
/// and report no error (a 22-byte object read back as 316 bytes from s3rver); the contract tests read back what they wrote.
/// </summary>
public sealed class S3BlobStore(IAmazonS3 s3, S3Options options) : IBlobStore
{
    public static IAmazonS3 CreateClient(S3Options options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            AuthenticationRegion = options.Region,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (!string.IsNullOrEmpty(options.ServiceUrl))
        {
            config.ServiceURL = options.ServiceUrl;
        }
        else
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(options.Region);
        }

        return options.AccessKey is { Length: > 0 }
            ? new AmazonS3Client(new BasicAWSCredentials(options.AccessKey, options.SecretKey), config)
            : new AmazonS3Client(config);
    }

    /// <summary>Creates the bucket when it is missing (embedded test servers, first start of a cluster).</summary>
    public async Task EnsureBucketAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = options.Bucket }, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
        }
    }

    public async Task<BlobInfo> PutAsync(string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        var buffer = ArrayPool<byte>.Shared.Rent(options.PartSizeBytes);
        try
        {
            var filled = await FillAsync(content, buffer, options.PartSizeBytes, cancellationToken);
            if (filled < options.PartSizeBytes)
            {
                // Fits in one part: a single PUT.
                using var body = new MemoryStream(buffer, 0, filled, writable: false);
                await s3.PutObjectAsync(new PutObjectRequest
                {
                    BucketName = options.Bucket,
                    Key = key,
                    InputStream = body,
                    ContentType = contentType,
                    UseChunkEncoding = false,
                    AutoCloseStream = false,
                }, cancellationToken);
                return new BlobInfo(key, filled, contentType);
            }

            return await PutMultipartAsync(key, content, contentType, buffer, filled, cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<BlobInfo> PutMultipartAsync(string key, Stream content, string contentType, byte[] buffer, int filled, CancellationToken cancellationToken)
    {
        var upload = await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest
        {
            BucketName = options.Bucket,
            Key = key,
            ContentType = contentType,
        }, cancellationToken);
        try
        {
            var parts = new List<PartETag>();
            long total = 0;
            while (filled > 0)
            {
                using var body = new MemoryStream(buffer, 0, filled, writable: false);
                var part = await s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = options.Bucket,
                    Key = key,
                    UploadId = upload.UploadId,
                    PartNumber = parts.Count + 1,
                    InputStream = body,
                    PartSize = filled,
                    UseChunkEncoding = false,
                }, cancellationToken);
                parts.Add(new PartETag(parts.Count + 1, part.ETag));
                total += filled;
                filled = await FillAsync(content, buffer, options.PartSizeBytes, cancellationToken);
            }

            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest
            {
                BucketName = options.Bucket,
                Key = key,
                UploadId = upload.UploadId,
                PartETags = parts,
            }, cancellationToken);
            return new BlobInfo(key, total, contentType);
        }
        catch
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest
            {
                BucketName = options.Bucket,
                Key = key,
                UploadId = upload.UploadId,
            }, CancellationToken.None);
            throw;
        }
    }

    public async Task<BlobContent?> GetAsync(string key, long offset = 0, long? length = null, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        long total;
        try
        {
            var head = await s3.GetObjectMetadataAsync(options.Bucket, key, cancellationToken);
            total = head.ContentLength;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var (start, count) = BlobRange.Clamp(offset, length, total);
        if (count == 0)
        {
            return new BlobContent(Stream.Null, start, 0, total, "application/octet-stream");
        }

        var request = new GetObjectRequest { BucketName = options.Bucket, Key = key };
        if (start > 0 || count < total)
        {
            request.ByteRange = new ByteRange(start, start + count - 1);
        }

        try
        {
            var response = await s3.GetObjectAsync(request, cancellationToken);
            return new BlobContent(response.ResponseStream, start, count, total, response.Headers.ContentType ?? "application/octet-stream");
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        try
        {
            await s3.GetObjectMetadataAsync(options.Bucket, key, cancellationToken);
            return true;
        }
        catch (AmazonS3Exception ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public async Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        await s3.DeleteObjectAsync(options.Bucket, key, cancellationToken);
    }

    public async Task<Uri> GetDownloadUrlAsync(string key, TimeSpan lifetime, CancellationToken cancellationToken = default)
    {
        BlobKey.Validate(key);
        var url = await s3.GetPreSignedURLAsync(new GetPreSignedUrlRequest
        {
            BucketName = options.Bucket,
            Key = key,
            Verb = HttpVerb.GET,
            Expires = DateTime.UtcNow.Add(lifetime),
            Protocol = options.ServiceUrl?.StartsWith("http://", StringComparison.OrdinalIgnoreCase) == true ? Protocol.HTTP : Protocol.HTTPS,
            // A download, never a page: a browser that opens the link saves the file instead of rendering it.
            ResponseHeaderOverrides = { ContentDisposition = "attachment" },
        });
        return new Uri(url);
    }

    private static async Task<int> FillAsync(Stream source, byte[] buffer, int size, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < size)
        {
            var read = await source.ReadAsync(buffer.AsMemory(filled, size - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
