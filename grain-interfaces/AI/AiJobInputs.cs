using Jacameno.Audio.Mastering;

namespace Jacameno.AI;

// What a job of this kind is asked to do: stored with the job as JSON, read back by its handler.

/// <summary>Analyse one of the owner's assets; <see cref="Key"/> ("A minor") is what tuning is judged against, the detected key if null.</summary>
public sealed record AnalysisInput(Guid AssetId, string? Key);

/// <summary>Master an asset, or a project version's mix, to a loudness target, in a style or toward a reference track.</summary>
public sealed record MasteringInput(Guid? AssetId, Guid? ProjectId, long? Version, double Lufs, double TruePeakDbtp, MasteringStyle Style, double Intensity, Guid? ReferenceAssetId);

/// <summary>Propose (and with <see cref="Apply"/>, make) a starting mix for a project version.</summary>
public sealed record MixInput(Guid ProjectId, long Version, bool Apply);
