namespace Jacameno.Streaming;

/// <summary>Make version <see cref="Version"/> of a release from one of the owner's assets, or from a project version's mix.</summary>
public sealed record ReleaseRenditionsInput(Guid ReleaseId, int Version, Guid? AssetId, Guid? ProjectId, long? ProjectVersion);
