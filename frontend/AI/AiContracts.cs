using Jacameno.Audio.Mastering;

namespace Jacameno.Frontend.AI;

/// <summary>POST /api/ai/analysis: one of the caller's assets; key ("A minor") to judge tuning against, else the detected one.</summary>
public sealed record AnalysisRequest(Guid? AssetId, string? Key);

public sealed record MasteringTargetRequest(double? Lufs, double? TruePeakDbtp);

/// <summary>POST /api/ai/mastering: an asset or a project (its current version, or <see cref="Version"/>).</summary>
public sealed record MasteringRequest(Guid? AssetId, Guid? ProjectId, long? Version, MasteringTargetRequest? Target, MasteringStyle? Style, double? Intensity, Guid? ReferenceAssetId);

/// <summary>POST /api/ai/lyrics. Defaults: structure verse-chorus-verse-chorus-bridge-chorus, ABAB, 8 syllables, English, the model when one is configured.</summary>
public sealed record LyricsRequest(string? Theme, string? Genre, string? Mood, string? Structure, string? RhymeScheme, int? SyllablesPerLine, string? Language, int? Seed, string? Provider);

/// <summary>POST /api/ai/lyrics/assist: lines to measure, against a tempo (or a project's tempo and meter), and a word to find rhymes for.</summary>
public sealed record LyricsAssistRequest(string? Text, Guid? ProjectId, double? Tempo, int? BeatsPerBar, int? SyllablesPerBeat, string? Word);

public sealed record LyricsAssistResponse(Jacameno.AI.Lyrics.LyricsAnalysis Analysis, string? Word, IReadOnlyList<string> Rhymes);

/// <summary>POST /api/ai/mix: propose mixer settings for a project (current version or <see cref="Version"/>); with apply, make them as the assistant.</summary>
public sealed record MixRequest(Guid? ProjectId, long? Version, bool? Apply);
