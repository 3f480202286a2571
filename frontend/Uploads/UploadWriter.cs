using System.Security.Claims;
using System.Security.Cryptography;
using Jacameno.Common;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Http;
using Jacameno.Storage.Blobs;
using Jacameno.Uploads;

namespace Jacameno.Frontend.Uploads;

/// <summary>
/// Writes a request body as the next bytes of a resumable upload: into a blob of its own (with the upload's last part
/// when that one is small), which the owner's uploads grain then takes in, if no other PATCH came first. The PATCH
/// that brings the last byte makes the upload what it is for (<see cref="UploadTargets"/>) before it answers.
/// </summary>
public sealed partial class UploadWriter(IGrainFactory grains, IBlobStore blobs, UploadTargets targets, IHostApplicationLifetime host,
    ILogger<UploadWriter> logger)
{
    /// <summary>
    /// The upload after the body was written from <paramref name="offset"/>, or the problem that refused it.
    /// <paramref name="length"/>: the length an upload opened without one declares with this PATCH (tus's deferred length).
    /// </summary>
    public async Task<(ResumableUpload? Upload, IResult? Problem)> AppendAsync(HttpContext http, ClaimsPrincipal user, Guid uploadId, long offset,
        long? length = null)
    {
        var checksum = TusHeaders.ReadChecksum(http.Request);
        var uploads = grains.GetGrain<IResumableUploadsGrain>(user.UserId());
        if (length is { } declared && await uploads.DeclareLengthAsync(uploadId, declared) is { Parts: { } complete } whole)
        {
            // Every byte was in already: this PATCH (with an empty body) only said so.
            return (await ProcessAsync(uploads, whole.Upload, complete, user), null);
        }
        if (await uploads.BeginPatchAsync(uploadId, offset) is not { } patch)
        {
            return (await uploads.GetAsync(uploadId), null);
        }

        if (UploadLimits.Apply(http, patch.Remaining, "PATCH bodies at this offset") is { } tooLarge)
        {
            await uploads.AbandonPatchAsync(uploadId, patch);
            return (null, tooLarge);
        }

        long bytes;
        try
        {
            // Written to the end even when the client goes away part way (tus keeps what arrived), so the write follows
            // the host's lifetime rather than the request's.
            using var hash = checksum is { } c ? IncrementalHash.CreateHash(c.Algorithm) : null;
            var body = new LimitedStream(new SalvagedBodyStream(http.Request.Body), patch.Remaining);
            Stream received = hash is null ? body : new HashingStream(body, hash);
            await using var content = patch.Joins is { } joins ? new PartsStream(blobs, [joins], received) : received;
            await blobs.PutAsync(patch.BlobKey, content, "application/octet-stream", host.ApplicationStopping);
            bytes = body.Position;
            if (hash is not null && !CryptographicOperations.FixedTimeEquals(hash.GetHashAndReset(), checksum!.Value.Digest))
            {
                await uploads.AbandonPatchAsync(uploadId, patch);
                return (null, Results.Problem(statusCode: TusHeaders.ChecksumMismatch, title: "Checksum mismatch",
                    detail: $"The body is not what {TusHeaders.Checksum} says; it was dropped and the upload stays at offset {offset}."));
            }
        }
        catch (Exception e) when (e is LimitedStream.TooLargeException or BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge })
        {
            await uploads.AbandonPatchAsync(uploadId, patch);
            return (null, UploadLimits.TooLarge(patch.Remaining, "PATCH bodies at this offset"));
        }
        catch
        {
            await uploads.AbandonPatchAsync(uploadId, patch);
            throw;
        }

        var progress = await uploads.CommitPatchAsync(uploadId, patch, bytes);
        return (progress.Parts is { } parts ? await ProcessAsync(uploads, progress.Upload, parts, user) : progress.Upload, null);
    }

    /// <summary>
    /// The whole file, read back from its parts, made what it is for. A refusal (not audio, over the quota, not an
    /// image) fails the upload with the reason and is the PATCH's answer, as it is the single-request upload's.
    /// </summary>
    private async Task<ResumableUpload> ProcessAsync(IResumableUploadsGrain uploads, ResumableUpload upload, IReadOnlyList<UploadPart> parts, ClaimsPrincipal user)
    {
        Guid resourceId;
        try
        {
            await using var content = new PartsStream(blobs, parts);
            resourceId = await targets.CompleteAsync(upload, content, user, host.ApplicationStopping);
        }
        catch (DomainException e)
        {
            await uploads.FailAsync(upload.Id, e.Message);
            throw;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogProcessingFailed(logger, e, upload.Id);
            await uploads.FailAsync(upload.Id, "The upload could not be processed; upload the file again.");
            throw;
        }

        return await uploads.FinishAsync(upload.Id, resourceId);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The finished upload {UploadId} could not be processed")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, Guid uploadId);
}
