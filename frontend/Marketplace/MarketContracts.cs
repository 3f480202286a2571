using Jacameno.Marketplace;

namespace Jacameno.Frontend.Marketplace;

/// <summary>Lists something for sale: its type, details and tiers, and where its files come from (none for a preset pack).</summary>
public sealed record ListingRequest(
    ListingType? Type,
    string? Title,
    string? Description,
    string? Genre,
    IReadOnlyList<string>? Tags,
    double? Bpm,
    string? Key,
    IReadOnlyList<LicenseTier>? Tiers,
    IReadOnlyList<Preset>? Presets,
    Guid? AssetId,
    IReadOnlyList<Guid>? AssetIds,
    Guid? ProjectId,
    long? ProjectVersion,
    bool? Library = null,
    string? Instrument = null)
{
    public ListingDetails Details => new(Title, Description, Genre, Tags, Bpm, Key, Tiers, Presets, Library, Instrument);
}

/// <summary>The listing and the job preparing its files (null for a preset pack, whose file is its presets).</summary>
public sealed record ListingCreated(ListingInfo Listing, Guid? JobId);

public sealed record OrderRequest(Guid? ListingId, Guid? TierId);

public sealed record RefundRequest(string? Reason);

public sealed record ReviewRequest(int? Stars, string? Text);

public sealed record PayoutRequest(string? Currency, long? Amount);

public sealed record StripeAccountRequest(string? AccountId);

/// <summary>A file of a paid order and a signed link to it, valid until <see cref="ExpiresAt"/>.</summary>
public sealed record DownloadLink(string Name, DeliveredFormat Format, long Size, string Url, DateTimeOffset ExpiresAt);
