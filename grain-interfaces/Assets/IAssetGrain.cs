namespace Jacameno.Assets;

public enum AssetStatus
{
    Processing,
    Ready,
    Failed,
}

/// <summary>Loudness of the whole file (ITU-R BS.1770-4 / EBU R128).</summary>
[GenerateSerializer, Immutable, Alias("jacameno.asset-loudness")]
public sealed record AssetLoudness(
    [property: Id(0)] double IntegratedLufs,
    [property: Id(1)] double LoudnessRangeLu,
    [property: Id(2)] double TruePeakDbtp,
    [property: Id(3)] double SamplePeakDbfs);

/// <summary>An uploaded audio file as the API shows it.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.asset")]
public sealed record AssetInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid OwnerId,
    [property: Id(2)] string FileName,
    [property: Id(3)] long Size,
    [property: Id(4)] AssetStatus Status,
    [property: Id(5)] string? Error,
    [property: Id(6)] string? Format,
    [property: Id(7)] string? Codec,
    [property: Id(8)] double? DurationSeconds,
    [property: Id(9)] int? SampleRate,
    [property: Id(10)] int? Channels,
    [property: Id(11)] int? BitDepth,
    [property: Id(12)] AssetLoudness? Loudness,
    [property: Id(13)] DateTimeOffset CreatedAt,
    [property: Id(14)] Guid? LicenseId = null);

/// <summary>
/// Where an upload's bytes are and what the client said about them. <see cref="LicenseId"/>: the marketplace
/// order under whose license the file was bought, which travels with it into projects and renders.
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.asset-upload")]
public sealed record AssetUpload(
    [property: Id(0)] string FileName,
    [property: Id(1)] string ContentType,
    [property: Id(2)] string BlobKey,
    [property: Id(3)] long Size,
    [property: Id(4)] Guid? LicenseId = null);

/// <summary>
/// One uploaded audio file: its original in the blob store, and what processing found (probe, loudness,
/// waveform peaks). Processing starts on creation and runs on the grain, so its state is visible at once.
/// </summary>
[Alias("jacameno.asset-grain")]
public interface IAssetGrain : IGrainWithGuidKey
{
    /// <summary>The finest waveform the asset keeps: one min/max pair per this many samples; coarser ones are sums of it.</summary>
    const int PeaksSamplesPerPixel = 256;

    [Alias("create")]
    Task<AssetInfo> CreateAsync(Guid ownerId, AssetUpload upload);

    /// <summary>The asset; not found for anyone but its owner.</summary>
    [Alias("get")]
    Task<AssetInfo> GetAsync(Guid userId);

    /// <summary>The blob key of the original, or of the peaks (.dat, finest level), for a reader allowed to see them.</summary>
    [Alias("blob")]
    Task<string> GetBlobKeyAsync(Guid userId, bool peaks);

    /// <summary>
    /// The asset and the blob key of its original (or its peaks), for anyone: only for server work whose caller
    /// already checked access another way (a member of a project that uses the asset: renders, the editor).
    /// </summary>
    [Alias("source")]
    Task<(AssetInfo Info, string BlobKey)> GetSourceAsync(bool peaks = false);

    [Alias("delete")]
    Task DeleteAsync(Guid userId);
}

public static class AssetReadiness
{
    public const string StillProcessing = "The asset is still being processed; try again when it is ready.";

    /// <summary>
    /// The one answer every endpoint gives for an asset it cannot use yet or at all: still processing is
    /// <see cref="Common.DomainErrorKind.NotReady"/>; failed is a validation error with the reason, naming <paramref name="field"/>.
    /// </summary>
    public static AssetInfo RequireReady(this AssetInfo asset, string field) => asset.Status switch
    {
        AssetStatus.Ready => asset,
        AssetStatus.Processing => throw new Common.DomainException(Common.DomainErrorKind.NotReady, StillProcessing, field),
        _ => throw Common.DomainException.Invalid(field, $"{asset.FileName} could not be processed: {asset.Error}"),
    };
}
