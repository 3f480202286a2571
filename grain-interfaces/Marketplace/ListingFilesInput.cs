namespace Jacameno.Marketplace;

/// <summary>Prepare a listing's files from the seller's assets or a project version.</summary>
public sealed record ListingFilesInput(Guid ListingId, ListingType Type, Guid? AssetId, IReadOnlyList<Guid>? AssetIds, Guid? ProjectId, long? ProjectVersion);
