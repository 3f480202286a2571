namespace Jacameno.Marketplace;

public enum ListingType
{
    /// <summary>An instrumental to license, from one audio file (or a project's mix), with stems when the seller has them.</summary>
    Beat,

    /// <summary>Audio files, royalty-free once bought.</summary>
    SamplePack,

    /// <summary>Effect-chain presets for this platform's effects (docs/audio.md).</summary>
    PresetPack,

    /// <summary>A project's tracks as separate files, rendered straight from the project.</summary>
    Stems,
}

public enum ListingStatus
{
    Draft,
    Published,
    Paused,
    SoldExclusively,
    Removed,
}

/// <summary>What a license tier delivers: the watermarked MP3, a clean MP3, the WAV master, the stems (or the pack's files).</summary>
public enum DeliveredFormat
{
    TaggedMp3,
    Mp3,
    Wav,
    Stems,
}

/// <summary>What a license allows. Null limits are unlimited; <see cref="TermYears"/> null is perpetual.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.license-terms")]
public sealed record LicenseTerms(
    [property: Id(0)] long? DistributionCopies = null,
    [property: Id(1)] long? AudioStreams = null,
    [property: Id(2)] int? MusicVideos = null,
    [property: Id(3)] bool Radio = false,
    [property: Id(4)] bool PerformanceRights = false,
    [property: Id(5)] int? TermYears = null,
    [property: Id(6)] string CreditLine = "");

/// <summary>One way to license a listing: its price (minor units of an ISO 4217 currency), what it delivers, and its terms.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.license-tier")]
public sealed record LicenseTier(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Name,
    [property: Id(2)] long Price,
    [property: Id(3)] string Currency,
    [property: Id(4)] IReadOnlyList<DeliveredFormat> Formats,
    [property: Id(5)] LicenseTerms Terms,
    [property: Id(6)] bool Exclusive = false);

/// <summary>
/// A preset of a preset pack: a named effect chain, of built-in effects (types and parameters as the effect catalog
/// names them) and hosted plugins (<c>vst2:</c>/<c>lv2:</c> ids, their parameters, and their saved state).
/// </summary>
[GenerateSerializer, Immutable, Alias("jacameno.preset")]
public sealed record Preset(
    [property: Id(0)] string Name,
    [property: Id(1)] IReadOnlyList<PresetEffect> Effects);

[GenerateSerializer, Immutable, Alias("jacameno.preset-effect")]
public sealed record PresetEffect(
    [property: Id(0)] string Type,
    [property: Id(1)] IReadOnlyDictionary<string, double> Parameters,
    [property: Id(2)] string? State = null);

/// <summary>What the seller says about a listing; on update, null fields stay as they are.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.listing-details")]
public sealed record ListingDetails(
    [property: Id(0)] string? Title = null,
    [property: Id(1)] string? Description = null,
    [property: Id(2)] string? Genre = null,
    [property: Id(3)] IReadOnlyList<string>? Tags = null,
    [property: Id(4)] double? Bpm = null,
    [property: Id(5)] string? Key = null,
    [property: Id(6)] IReadOnlyList<LicenseTier>? Tiers = null,
    [property: Id(7)] IReadOnlyList<Preset>? Presets = null,
    [property: Id(8)] bool? Library = null,
    [property: Id(9)] string? Instrument = null);

/// <summary>Where a listing's files come from: one of the seller's assets (a beat's master), several (a pack, stems), or a project (its mix and stems).</summary>
[GenerateSerializer, Immutable, Alias("jacameno.listing-source")]
public sealed record ListingSource(
    [property: Id(0)] Guid? AssetId = null,
    [property: Id(1)] IReadOnlyList<Guid>? AssetIds = null,
    [property: Id(2)] Guid? ProjectId = null,
    [property: Id(3)] long? ProjectVersion = null);

/// <summary>A delivered file of a listing, stored under the listing so sales never depend on the seller's assets.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.listing-file")]
public sealed record ListingFile(
    [property: Id(0)] DeliveredFormat Format,
    [property: Id(1)] string Name,
    [property: Id(2)] string BlobKey,
    [property: Id(3)] string ContentType,
    [property: Id(4)] long Size,
    [property: Id(5)] LoopFacts? Loop = null);

/// <summary>A delivered file as anyone may know it: its format, name and size, and for a sample pack's file what analysis found.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.file-entry")]
public sealed record FileEntry(
    [property: Id(0)] DeliveredFormat Format,
    [property: Id(1)] string Name,
    [property: Id(2)] long Size,
    [property: Id(3)] LoopFacts? Loop = null);

/// <summary>What the preparation job made: the files each format delivers, and the watermarked preview.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.listing-files")]
public sealed record ListingFiles(
    [property: Id(0)] IReadOnlyList<ListingFile> Files,
    [property: Id(1)] string? PreviewKey,
    [property: Id(2)] double? DurationSeconds,
    [property: Id(3)] double? Bpm,
    [property: Id(4)] string? Key);

/// <summary>A listing as the API shows it; <see cref="Files"/> names what each format delivers (names and sizes, never keys).</summary>
[GenerateSerializer, Immutable, Alias("jacameno.listing")]
public sealed record ListingInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid SellerId,
    [property: Id(2)] string Seller,
    [property: Id(3)] ListingType Type,
    [property: Id(4)] string Title,
    [property: Id(5)] string? Description,
    [property: Id(6)] string? Genre,
    [property: Id(7)] IReadOnlyList<string> Tags,
    [property: Id(8)] double? Bpm,
    [property: Id(9)] string? Key,
    [property: Id(10)] IReadOnlyList<LicenseTier> Tiers,
    [property: Id(11)] IReadOnlyList<Preset> Presets,
    [property: Id(12)] ListingStatus Status,
    [property: Id(13)] bool Prepared,
    [property: Id(14)] string? Error,
    [property: Id(15)] bool HasPreview,
    [property: Id(16)] IReadOnlyList<FileEntry> Files,
    [property: Id(17)] double RatingAverage,
    [property: Id(18)] int RatingCount,
    [property: Id(19)] long Sales,
    [property: Id(20)] DateTimeOffset CreatedAt,
    [property: Id(21)] DateTimeOffset UpdatedAt,
    [property: Id(22)] bool Library = false,
    [property: Id(23)] string? Instrument = null)
{
    /// <summary>The hosted plugins a preset pack's presets need (their ids), so a buyer knows before buying.</summary>
    public IReadOnlyList<string> Plugins => [.. Presets.SelectMany(p => p.Effects).Select(e => e.Type).Where(Jacameno.Plugins.PluginInfo.IsPluginId).Distinct()];
}

/// <summary>What an order holds of a tier when it is placed: the tier as it was, and who sells.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.reservation")]
public sealed record Reservation(
    [property: Id(0)] Guid SellerId,
    [property: Id(1)] string Seller,
    [property: Id(2)] string ListingTitle,
    [property: Id(3)] ListingType Type,
    [property: Id(4)] LicenseTier Tier);

/// <summary>
/// One marketplace item, keyed by listing id: details, license tiers, delivered files and preview, state. It
/// serializes exclusive sales: an exclusive tier is held for one pending order at a time (until it expires),
/// and once one is paid the listing is sold and every other pending order of it is told to cancel.
/// </summary>
[Alias("jacameno.listing-grain")]
public interface IListingGrain : IGrainWithGuidKey
{
    /// <summary>Creates a draft whose files the job <paramref name="jobId"/> prepares.</summary>
    [Alias("create")]
    Task<ListingInfo> CreateAsync(Guid sellerId, ListingType type, ListingDetails details, Guid jobId);

    /// <summary>The listing; drafts and removed listings only for their seller.</summary>
    [Alias("get")]
    Task<ListingInfo> GetAsync(Guid? viewerId);

    [Alias("update")]
    Task<ListingInfo> UpdateAsync(Guid userId, ListingDetails details);

    /// <summary>Moves between draft, published, paused and removed, as the seller may.</summary>
    [Alias("set-status")]
    Task<ListingInfo> SetStatusAsync(Guid userId, ListingStatus status);

    /// <summary>A moderator hides, restores or removes the listing (authorized at the edge); <paramref name="forBan"/> when its seller's ban does it. Returns the seller.</summary>
    [Alias("moderate")]
    Task<Guid> ModerateAsync(Jacameno.Moderation.ModerationAction action, string reason, bool forBan);

    [Alias("files-ready")]
    Task FilesReadyAsync(ListingFiles files);

    [Alias("files-failed")]
    Task FilesFailedAsync(string reason);

    /// <summary>The blob key of the watermarked preview, for anyone who may see the listing.</summary>
    [Alias("preview")]
    Task<string> GetPreviewKeyAsync(Guid? viewerId);

    /// <summary>Holds the tier for the order (refused for the seller, when not on sale, or while an exclusive is held by another order).</summary>
    [Alias("reserve")]
    Task<Reservation> ReserveAsync(Guid orderId, Guid buyerId, Guid tierId, DateTimeOffset holdUntil);

    /// <summary>The order ended unpaid: its hold (if any) goes.</summary>
    [Alias("release")]
    Task ReleaseAsync(Guid orderId);

    /// <summary>
    /// The order was paid. True: the sale stands (the license may be granted). False: an exclusive already went to
    /// another order, so this one must be refunded. Idempotent per order. Returns the orders to cancel.
    /// </summary>
    [Alias("sold")]
    Task<(bool Granted, IReadOnlyList<Guid> Cancel)> SoldAsync(Guid orderId, Guid tierId);

    /// <summary>A granted order was refunded: the sale is taken back from the counts (an exclusive stays sold).</summary>
    [Alias("refunded")]
    Task RefundedAsync(Guid orderId);

    /// <summary>The files the tier delivers.</summary>
    [Alias("files")]
    Task<IReadOnlyList<ListingFile>> FilesForAsync(Guid tierId, IReadOnlyList<DeliveredFormat> formats);

    /// <summary>The file <paramref name="index"/> of a published library pack, which anyone who may see the listing may hear and take.</summary>
    [Alias("loop-file")]
    Task<ListingFile> LoopFileAsync(Guid? viewerId, int index);

    /// <summary>
    /// The seller's own loop <paramref name="index"/> as an asset of theirs (no order with oneself), copied the first
    /// time: here, so that takes side by side make one asset.
    /// </summary>
    [Alias("own-loop")]
    Task<Guid> OwnLoopAssetAsync(Guid sellerId, int index, long? quotaBytes);

    /// <summary>Rates the listing (1-5) as a buyer with a license; a second review replaces the first.</summary>
    [Alias("review")]
    Task<ListingInfo> ReviewAsync(Guid buyerId, int stars, string? text);
}
