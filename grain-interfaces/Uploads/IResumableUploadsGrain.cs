namespace Jacameno.Uploads;

/// <summary>What a resumable upload becomes once its last byte is in.</summary>
public enum UploadPurpose
{
    /// <summary>An audio file of the caller's library (as <c>POST /api/assets</c>).</summary>
    Asset,

    /// <summary>A DAWproject file imported as a new project (as <c>POST /api/projects/dawproject</c>).</summary>
    Import,

    /// <summary>The artwork of one of the caller's releases (as <c>PUT /api/releases/{id}/artwork</c>).</summary>
    Artwork,
}

public enum UploadStatus
{
    /// <summary>Bytes are still coming.</summary>
    Receiving,

    /// <summary>Every byte is in; it is being made into its asset, project or artwork.</summary>
    Processing,

    /// <summary>It became <see cref="ResumableUpload.ResourceId"/>; the bytes it was kept in are gone.</summary>
    Completed,

    /// <summary>Its processing refused it (<see cref="ResumableUpload.Error"/>); the bytes it was kept in are gone.</summary>
    Failed,
}

/// <summary>
/// An upload as it is opened: what it is for, its name and its exact size. <see cref="TargetId"/> is the release whose
/// artwork it is (<see cref="UploadPurpose.Artwork"/>), null otherwise. When <see cref="CountsAgainstQuota"/> (its bytes
/// will be stored audio of the owner), its length, with those of the owner's other open uploads that count, must fit
/// in <see cref="QuotaBytes"/> (null for none) beside what the owner already stores. When <see cref="LengthDeferred"/> (a
/// recording, whose size is known only when it stops), <see cref="Length"/> is the most it may grow to; the owner's
/// room in their quota may lower that, and a later PATCH declares the real length.
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.new-resumable-upload")]
public sealed record NewResumableUpload(
    [property: Id(0)] UploadPurpose Purpose,
    [property: Id(1)] Guid? TargetId,
    [property: Id(2)] string FileName,
    [property: Id(3)] long Length,
    [property: Id(4)] bool CountsAgainstQuota,
    [property: Id(5)] long? QuotaBytes,
    [property: Id(6)] bool LengthDeferred = false);

/// <summary>
/// One upload as its owner sees it. <see cref="ResourceId"/>: what it became (the asset, the new project, the release),
/// once <see cref="UploadStatus.Completed"/>. <see cref="ExpiresAt"/>: while receiving, when it is deleted unless more
/// bytes come (each PATCH moves it on); once finished, when the record of its outcome goes. While
/// <see cref="LengthDeferred"/>, <see cref="Length"/> is the most it may grow to (what it holds of the owner's quota),
/// and it is not whole until a PATCH declares its real length.
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.resumable-upload")]
public sealed record ResumableUpload(
    [property: Id(0)] Guid Id,
    [property: Id(1)] UploadPurpose Purpose,
    [property: Id(2)] Guid? TargetId,
    [property: Id(3)] string FileName,
    [property: Id(4)] long Length,
    [property: Id(5)] long Offset,
    [property: Id(6)] UploadStatus Status,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] DateTimeOffset ExpiresAt,
    [property: Id(9)] Guid? ResourceId,
    [property: Id(10)] string? Error,
    [property: Id(11)] bool LengthDeferred = false);

/// <summary>Bytes of an upload kept as one blob: <see cref="Length"/> bytes of the file from <see cref="Offset"/>.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.upload-part")]
public sealed record UploadPart(
    [property: Id(0)] string BlobKey,
    [property: Id(1)] long Offset,
    [property: Id(2)] long Length);

/// <summary>
/// Leave to write one PATCH: its bytes go to the blob <see cref="BlobKey"/>, and they start at <see cref="Offset"/> of the
/// file. When <see cref="Joins"/> is set (the upload's last part is small), that part's bytes go first into the same
/// blob, which then replaces it: an upload sent in many small pieces is kept in few blobs.
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.upload-patch")]
public sealed record UploadPatch(
    [property: Id(0)] string BlobKey,
    [property: Id(1)] long Offset,
    [property: Id(2)] long Remaining,
    [property: Id(3)] UploadPart? Joins);

/// <summary>
/// The upload after a patch was taken in. <see cref="Parts"/> is set for the one caller whose patch brought the last
/// byte: the file in order, which that caller now processes, then reports with
/// <see cref="IResumableUploadsGrain.FinishAsync"/> or <see cref="IResumableUploadsGrain.FailAsync"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.upload-progress")]
public sealed record UploadProgress(
    [property: Id(0)] ResumableUpload Upload,
    [property: Id(1)] IReadOnlyList<UploadPart>? Parts);

/// <summary>
/// One user's resumable uploads (the tus protocol's uploads), keyed by user id: each upload's size, offset and the blobs
/// its bytes are kept in until the last one arrives. Only the bookkeeping passes through here; the bytes go from the
/// frontend that receives them to the blob store, where any frontend of a cluster finds them to go on. An upload's id
/// is looked up only in its owner's grain, so another user's upload id is simply not found.
/// </summary>
[Alias("jacameno.resumable-uploads")]
public interface IResumableUploadsGrain : IGrainWithGuidKey
{
    /// <summary>
    /// Opens an upload. Refused when the owner has <see cref="UploadOptions.MaxOpenPerUser"/> open already (too many
    /// requests) or it would not fit in their quota (a validation error on <c>Upload-Length</c>).
    /// </summary>
    [Alias("create")]
    Task<ResumableUpload> CreateAsync(NewResumableUpload upload);

    /// <summary>The upload; not found when the owner has none by that id (never had one, terminated, or expired).</summary>
    [Alias("get")]
    Task<ResumableUpload> GetAsync(Guid uploadId);

    /// <summary>The owner's uploads still receiving or processing, oldest first.</summary>
    [Alias("list-open")]
    Task<IReadOnlyList<ResumableUpload>> ListOpenAsync();

    /// <summary>
    /// Leave to write a PATCH at <paramref name="offset"/>: a conflict when that is not the upload's offset or it is
    /// not receiving. Null when the upload is already whole and <paramref name="offset"/> is its length (a retry of
    /// the last PATCH whose answer was lost): nothing is left to write.
    /// </summary>
    [Alias("begin-patch")]
    Task<UploadPatch?> BeginPatchAsync(Guid uploadId, long offset);

    /// <summary>
    /// Takes in <paramref name="bytes"/> bytes that <paramref name="patch"/>'s blob holds after the part it joins. A
    /// conflict (and the blob deleted) when another patch came first. The upload's expiry moves on.
    /// </summary>
    [Alias("commit-patch")]
    Task<UploadProgress> CommitPatchAsync(Guid uploadId, UploadPatch patch, long bytes);

    /// <summary>
    /// Declares the length of an upload opened without one: at least the bytes received, at most what it was allowed
    /// to grow to. Declaring the length it has already is a no-op (a retried PATCH). <see cref="UploadProgress.Parts"/>
    /// is set when every byte is already in, for the caller to process as a last PATCH's.
    /// </summary>
    [Alias("declare-length")]
    Task<UploadProgress> DeclareLengthAsync(Guid uploadId, long length);

    /// <summary>Drops a patch that wrote nothing worth keeping (a checksum mismatch, a body past the length): its blob is deleted.</summary>
    [Alias("abandon-patch")]
    Task AbandonPatchAsync(Guid uploadId, UploadPatch patch);

    /// <summary>The processing of a whole upload made <paramref name="resourceId"/>; its parts are deleted.</summary>
    [Alias("finish")]
    Task<ResumableUpload> FinishAsync(Guid uploadId, Guid resourceId);

    /// <summary>The processing of a whole upload refused it for <paramref name="reason"/>; its parts are deleted.</summary>
    [Alias("fail")]
    Task<ResumableUpload> FailAsync(Guid uploadId, string reason);

    /// <summary>
    /// Terminates an upload that is still receiving, or forgets a finished one: its bytes are deleted. A conflict while
    /// it is being processed.
    /// </summary>
    [Alias("terminate")]
    Task TerminateAsync(Guid uploadId);

    /// <summary>Deletes every upload and its bytes (the account is being erased).</summary>
    [Alias("erase")]
    Task EraseAsync();
}
