using Jacameno.Audio.Mastering;

namespace Jacameno.Frontend.AI;

/// <summary>POST /api/ai/analysis: one of the caller's assets; key ("A minor") to judge tuning against, else the detected one.</summary>
public sealed record AnalysisRequest(Guid? AssetId, string? Key);

public sealed record MasteringTargetRequest(double? Lufs, double? TruePeakDbtp);

/// <summary>POST /api/ai/mastering: an asset or a project (its current version, or <see cref="Version"/>).</summary>
public sealed record MasteringRequest(Guid? AssetId, Guid? ProjectId, long? Version, MasteringTargetRequest? Target, MasteringStyle? Style, double? Intensity, Guid? ReferenceAssetId);
