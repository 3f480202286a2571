using Jacameno.Common;
using Jacameno.Storage.Blobs;
using Jacameno.Users;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Jacameno.Uploads;

[GenerateSerializer, Alias("jacameno.resumable-uploads-state")]
public sealed class ResumableUploadsState
{
    [Id(0)] public List<StoredUpload> Uploads { get; set; } = [];

    /// <summary>Blobs whose deletion failed; each sweep tries them again.</summary>
    [Id(1)] public List<string> Leftovers { get; set; } = [];
}

[GenerateSerializer, Alias("jacameno.stored-upload")]
public sealed class StoredUpload
{
    [Id(0)] public ResumableUpload Info { get; set; } = null!;

    [Id(1)] public bool CountsAgainstQuota { get; set; }

    /// <summary>The bytes received so far, in file order, without gaps.</summary>
    [Id(2)] public List<UploadPart> Parts { get; set; } = [];

    /// <summary>Blobs that PATCHes in flight are writing: deleted with the upload if their frontend never reports back.</summary>
    [Id(3)] public List<string> Writing { get; set; } = [];
}

/// <summary>
/// One user's resumable uploads; see <see cref="IResumableUploadsGrain"/>. A reminder is due when the next one
/// expires: it deletes the stale ones with their blobs (and forgets finished ones whose outcome was kept long enough),
/// then sets itself for the next, or goes while nothing is left.
/// </summary>
public sealed partial class ResumableUploadsGrain(
    [PersistentState("resumable-uploads", StorageNames.Grains)] IPersistentState<ResumableUploadsState> state,
    IBlobStore blobs,
    IOptions<UploadOptions> options,
    TimeProvider clock,
    ILogger<ResumableUploadsGrain> logger) : Grain, IResumableUploadsGrain, IRemindable
{
    /// <summary>PATCHes of one upload that may be writing at once (a client that lost a connection may still have one going).</summary>
    public const int MaxWritersPerUpload = 4;

    /// <summary>Finished uploads whose outcome is kept, newest first; older ones go before their time.</summary>
    public const int MaxFinishedKept = 50;

    private const string SweepReminder = "sweep";

    private UploadOptions Options => options.Value;

    private List<StoredUpload> Uploads => state.State.Uploads;

    public async Task<ResumableUpload> CreateAsync(NewResumableUpload upload)
    {
        if (upload.Length <= 0)
        {
            throw DomainException.Invalid("Upload-Length", "An upload has at least one byte.");
        }

        if (upload.Purpose == UploadPurpose.Artwork != upload.TargetId.HasValue)
        {
            throw DomainException.Invalid("releaseId", "An artwork upload names its release (releaseId), and only it does.");
        }

        var open = Uploads.Where(IsOpen).ToList();
        if (open.Count >= Options.MaxOpenPerUser)
        {
            throw new DomainException(DomainErrorKind.TooManyRequests,
                $"You have {open.Count} uploads open, the most at once; finish or cancel one first.");
        }

        var length = upload.Length;
        if (upload is { CountsAgainstQuota: true, QuotaBytes: { } quota })
        {
            var stored = await GrainFactory.GetGrain<IUserGrain>(this.GetPrimaryKey()).GetStorageUsedAsync();
            var coming = open.Where(u => u.CountsAgainstQuota).Sum(u => u.Info.Length);
            var room = quota - stored - coming;

            // An upload of a length not known yet holds what is left of the quota, up to its most.
            if (upload.LengthDeferred ? room <= 0 : length > room)
            {
                throw new DomainException(DomainErrorKind.TooLarge,
                    $"This upload needs {(upload.LengthDeferred ? "room" : $"{length} bytes")}; {stored} of your {quota} are in use and {coming} are promised to open uploads. Delete files or upgrade your plan.",
                    "Upload-Length");
            }

            length = Math.Min(length, room);
        }

        var now = clock.GetUtcNow();
        var created = new StoredUpload
        {
            Info = new ResumableUpload(Guid.NewGuid(), upload.Purpose, upload.TargetId, upload.FileName, length, 0, UploadStatus.Receiving,
                now, now + Options.Lifetime, null, null, upload.LengthDeferred),
            CountsAgainstQuota = upload.CountsAgainstQuota,
        };
        Uploads.Add(created);
        await state.WriteStateAsync();
        if (Uploads.Count == 1)
        {
            await ScheduleSweepAsync();
        }

        return created.Info;
    }

    public Task<ResumableUpload> GetAsync(Guid uploadId) => Task.FromResult(Find(uploadId).Info);

    public Task<IReadOnlyList<ResumableUpload>> ListOpenAsync() =>
        Task.FromResult<IReadOnlyList<ResumableUpload>>([.. Uploads.Where(IsOpen).Select(u => u.Info)]);

    public async Task<UploadPatch?> BeginPatchAsync(Guid uploadId, long offset)
    {
        var upload = Find(uploadId);
        var info = upload.Info;
        if (info.Status != UploadStatus.Receiving)
        {
            return offset == info.Length && info.Status != UploadStatus.Failed
                ? null
                : throw new DomainException(DomainErrorKind.Conflict, $"The upload is {info.Status.ToString().ToLowerInvariant()}; it takes no more bytes.");
        }

        if (offset != info.Offset)
        {
            throw OffsetConflict(info);
        }

        if (upload.Writing.Count >= MaxWritersPerUpload)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"{upload.Writing.Count} PATCH requests of this upload are still writing; wait for them to end.");
        }

        var last = upload.Parts.LastOrDefault();
        var patch = new UploadPatch($"uploads/{uploadId:N}/{Guid.NewGuid():N}", offset, info.Length - offset,
            last is not null && last.Length < Options.JoinPartsBelowBytes ? last : null);
        upload.Writing.Add(patch.BlobKey);
        await state.WriteStateAsync();
        return patch;
    }

    public async Task<UploadProgress> CommitPatchAsync(Guid uploadId, UploadPatch patch, long bytes)
    {
        var upload = Uploads.Find(u => u.Info.Id == uploadId);
        var info = upload?.Info;
        if (upload is null || !upload.Writing.Contains(patch.BlobKey))
        {
            // Terminated, expired, or taken over while this PATCH was writing: its blob belongs to nothing.
            await DeleteBlobsAsync([patch.BlobKey]);
            throw DomainException.NotFound("The upload");
        }

        upload.Writing.Remove(patch.BlobKey);
        var joined = patch.Joins is null || upload.Parts.LastOrDefault() == patch.Joins;
        if (info!.Status != UploadStatus.Receiving || info.Offset != patch.Offset || !joined || bytes < 0 || bytes > info.Length - info.Offset)
        {
            await state.WriteStateAsync();
            await DeleteBlobsAsync([patch.BlobKey]);
            throw OffsetConflict(info);
        }

        if (bytes == 0)
        {
            await state.WriteStateAsync();
            await DeleteBlobsAsync([patch.BlobKey]);
            return new UploadProgress(info, null);
        }

        if (patch.Joins is { } small)
        {
            upload.Parts.RemoveAt(upload.Parts.Count - 1);
            upload.Parts.Add(new UploadPart(patch.BlobKey, small.Offset, small.Length + bytes));
        }
        else
        {
            upload.Parts.Add(new UploadPart(patch.BlobKey, patch.Offset, bytes));
        }

        var offset = info.Offset + bytes;
        var whole = offset == info.Length && !info.LengthDeferred;
        upload.Info = info with
        {
            Offset = offset,
            Status = whole ? UploadStatus.Processing : UploadStatus.Receiving,
            ExpiresAt = clock.GetUtcNow() + Options.Lifetime,
        };
        await state.WriteStateAsync();
        if (patch.Joins is { } replaced)
        {
            await DeleteBlobsAsync([replaced.BlobKey]);
        }

        return new UploadProgress(upload.Info, whole ? [.. upload.Parts] : null);
    }

    public async Task<UploadProgress> DeclareLengthAsync(Guid uploadId, long length)
    {
        var upload = Find(uploadId);
        var info = upload.Info;
        if (!info.LengthDeferred)
        {
            return length == info.Length
                ? new UploadProgress(info, null)
                : throw DomainException.Invalid("Upload-Length", $"The upload's length is {info.Length} already.");
        }

        if (info.Status != UploadStatus.Receiving)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"The upload is {info.Status.ToString().ToLowerInvariant()}; it takes no more bytes.");
        }

        if (length < Math.Max(1, info.Offset))
        {
            throw DomainException.Invalid("Upload-Length", $"{info.Offset} bytes of the upload are in already; its length is at least that, and at least 1.");
        }

        if (length > info.Length)
        {
            throw new DomainException(DomainErrorKind.TooLarge,
                $"This upload may have at most {info.Length} bytes (the most for its purpose, or what is left of your quota).", "Upload-Length");
        }

        var whole = length == info.Offset;
        upload.Info = info with
        {
            Length = length,
            LengthDeferred = false,
            Status = whole ? UploadStatus.Processing : UploadStatus.Receiving,
            ExpiresAt = clock.GetUtcNow() + Options.Lifetime,
        };
        await state.WriteStateAsync();
        return new UploadProgress(upload.Info, whole ? [.. upload.Parts] : null);
    }

    public async Task AbandonPatchAsync(Guid uploadId, UploadPatch patch)
    {
        if (Uploads.Find(u => u.Info.Id == uploadId) is { } upload && upload.Writing.Remove(patch.BlobKey))
        {
            await state.WriteStateAsync();
        }

        await DeleteBlobsAsync([patch.BlobKey]);
    }

    public Task<ResumableUpload> FinishAsync(Guid uploadId, Guid resourceId) =>
        EndProcessingAsync(uploadId, info => info with { Status = UploadStatus.Completed, ResourceId = resourceId });

    public Task<ResumableUpload> FailAsync(Guid uploadId, string reason) =>
        EndProcessingAsync(uploadId, info => info with { Status = UploadStatus.Failed, Error = reason });

    public async Task TerminateAsync(Guid uploadId)
    {
        var upload = Find(uploadId);
        if (upload.Info.Status == UploadStatus.Processing)
        {
            throw new DomainException(DomainErrorKind.Conflict, "The upload is being processed; it can be deleted once that ends.");
        }

        Uploads.Remove(upload);
        await state.WriteStateAsync();
        await DeleteBlobsAsync([.. BlobsOf(upload)]);
    }

    public async Task EraseAsync()
    {
        var keys = Uploads.SelectMany(BlobsOf).Concat(state.State.Leftovers).ToList();
        Uploads.Clear();
        state.State.Leftovers.Clear();
        await state.WriteStateAsync();
        await DeleteBlobsAsync(keys);
        if (state.State.Leftovers.Count == 0)
        {
            await state.ClearStateAsync();
            await UnscheduleSweepAsync();
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var now = clock.GetUtcNow();
        var expired = Uploads.Where(u => u.Info.ExpiresAt <= now).ToList();
        var finished = Uploads.Where(u => !IsOpen(u)).OrderByDescending(u => u.Info.ExpiresAt).Skip(MaxFinishedKept);
        var gone = expired.Union(finished).ToList();
        var leftovers = state.State.Leftovers.ToList();
        if (gone.Count > 0 || leftovers.Count > 0)
        {
            foreach (var upload in gone)
            {
                Uploads.Remove(upload);
                if (IsOpen(upload))
                {
                    LogExpired(logger, upload.Info.Id, this.GetPrimaryKey(), upload.Info.Offset, upload.Info.Length);
                }
            }

            state.State.Leftovers.Clear();
            await state.WriteStateAsync();
            await DeleteBlobsAsync([.. gone.SelectMany(BlobsOf), .. leftovers]);
        }

        await ScheduleSweepAsync();
    }

    private async Task<ResumableUpload> EndProcessingAsync(Guid uploadId, Func<ResumableUpload, ResumableUpload> end)
    {
        var upload = Find(uploadId);
        if (upload.Info.Status != UploadStatus.Processing)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"The upload is {upload.Info.Status.ToString().ToLowerInvariant()}, not processing.");
        }

        var parts = upload.Parts.Select(p => p.BlobKey).ToList();
        upload.Parts.Clear();
        upload.Info = end(upload.Info) with { ExpiresAt = clock.GetUtcNow() + Options.Lifetime };
        await state.WriteStateAsync();
        await DeleteBlobsAsync(parts);
        return upload.Info;
    }

    private static bool IsOpen(StoredUpload upload) => upload.Info.Status is UploadStatus.Receiving or UploadStatus.Processing;

    private StoredUpload Find(Guid uploadId) => Uploads.Find(u => u.Info.Id == uploadId) ?? throw DomainException.NotFound("The upload");

    private static IEnumerable<string> BlobsOf(StoredUpload upload) => upload.Parts.Select(p => p.BlobKey).Concat(upload.Writing);

    private static DomainException OffsetConflict(ResumableUpload info) =>
        new(DomainErrorKind.Conflict, $"The upload's offset is {info.Offset}; send the bytes from there (HEAD tells it).", "Upload-Offset");

    /// <summary>Deletes blobs, keeping those that could not be deleted for the next sweep (a store that is down for a while).</summary>
    private async Task DeleteBlobsAsync(IReadOnlyCollection<string> keys)
    {
        var failed = new List<string>();
        foreach (var key in keys)
        {
            try
            {
                await blobs.DeleteAsync(key);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDeleteFailed(logger, e, key);
                failed.Add(key);
            }
        }

        if (failed.Count > 0 && state.RecordExists)
        {
            state.State.Leftovers.AddRange(failed);
            await state.WriteStateAsync();
            await ScheduleSweepAsync();
        }
    }

    /// <summary>The sweep is due when the next upload expires (leftovers: within a minute); with nothing to sweep, it goes.</summary>
    private async Task ScheduleSweepAsync()
    {
        if (Uploads.Count == 0 && state.State.Leftovers.Count == 0)
        {
            await UnscheduleSweepAsync();
            return;
        }

        var now = clock.GetUtcNow();
        var next = Uploads.Select(u => u.Info.ExpiresAt).DefaultIfEmpty(now + TimeSpan.FromMinutes(1)).Min();
        if (state.State.Leftovers.Count > 0 && next > now + TimeSpan.FromMinutes(1))
        {
            next = now + TimeSpan.FromMinutes(1);
        }

        // The period is a fallback only: every tick sets the next due time itself.
        await this.RegisterOrUpdateReminder(SweepReminder, Max(next - now, TimeSpan.FromSeconds(1)), TimeSpan.FromHours(1));
    }

    private async Task UnscheduleSweepAsync()
    {
        if (await this.GetReminder(SweepReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Upload {UploadId} of user {UserId} expired at {Offset} of {Length} bytes; its bytes are deleted")]
    private static partial void LogExpired(ILogger logger, Guid uploadId, Guid userId, long offset, long length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete the upload blob {Key}; the next sweep tries again")]
    private static partial void LogDeleteFailed(ILogger logger, Exception exception, string key);
}
