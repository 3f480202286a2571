using Jacameno.AI;
using Jacameno.AI.Lyrics;
using Jacameno.Assets;
using Jacameno.Audio.Analysis;
using Jacameno.Audio.Mastering;
using Jacameno.Common;
using Jacameno.Frontend.Jobs;
using Jacameno.Jobs;
using Jacameno.Projects;
using Jacameno.Users;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.AI;

/// <summary>AI tools as jobs. Requests are checked here (ownership, readiness, ranges), so bad input is a 4xx at once, not a failed job.</summary>
public sealed class AiService(IGrainFactory grains, JobService jobs, IOptions<JobOptions> options, IOptions<LyricsOptions> lyricsOptions)
{
    public async Task<JobInfo> AnalyseAsync(Guid userId, UserRole role, AnalysisRequest request)
    {
        var assetId = request.AssetId ?? throw DomainException.Invalid("assetId", "assetId is required.");
        await UsableAssetAsync(userId, assetId, "assetId");
        if (request.Key is not null && !MusicalKey.TryParse(request.Key, out _))
        {
            throw DomainException.Invalid("key", "key must be a key such as \"A minor\" or \"F# major\".");
        }

        return await jobs.StartAsync(userId, role, JobKind.Analysis, new AnalysisInput(assetId, request.Key));
    }

    public async Task<JobInfo> MasterAsync(Guid userId, UserRole role, MasteringRequest request)
    {
        if ((request.AssetId is null) == (request.ProjectId is null))
        {
            throw DomainException.Invalid("assetId", "Give either assetId or projectId.");
        }

        long? version = null;
        if (request.AssetId is { } assetId)
        {
            await UsableAssetAsync(userId, assetId, "assetId");
        }
        else
        {
            var project = await grains.GetGrain<IProjectGrain>(request.ProjectId!.Value).GetAsync(userId);
            version = request.Version ?? project.Version;
            if (version < 0 || version > project.Version)
            {
                throw DomainException.Invalid("version", $"version must be between 0 and the project's version {project.Version}.");
            }
        }

        var lufs = request.Target?.Lufs ?? -14;
        var ceiling = request.Target?.TruePeakDbtp ?? -1;
        var intensity = request.Intensity ?? 0.5;
        var style = request.Style ?? MasteringStyle.Balanced;
        Check(lufs is >= -30 and <= -5, "target.lufs", "target.lufs must be between -30 and -5 LUFS.");
        Check(ceiling is >= -6 and <= 0, "target.truePeakDbtp", "target.truePeakDbtp must be between -6 and 0 dBTP.");
        Check(intensity is >= 0 and <= 1, "intensity", "intensity must be between 0 and 1.");
        Check(Enum.IsDefined(style), "style", "style must be balanced, warm, bright or loud.");
        if (request.ReferenceAssetId is { } reference)
        {
            await UsableAssetAsync(userId, reference, "referenceAssetId");
        }

        return await jobs.StartAsync(userId, role, JobKind.Mastering,
            new MasteringInput(request.AssetId, request.ProjectId, version, lufs, ceiling, style, intensity, request.ReferenceAssetId));
    }

    public async Task<JobInfo> MixAsync(Guid userId, UserRole role, MixRequest request)
    {
        var projectId = request.ProjectId ?? throw DomainException.Invalid("projectId", "projectId is required.");
        var project = grains.GetGrain<IProjectGrain>(projectId);
        var document = await project.GetAsync(userId);
        var version = request.Version ?? document.Version;
        Check(version >= 0 && version <= document.Version, "version", $"version must be between 0 and the project's version {document.Version}.");
        if (request.Apply == true && await project.GetRoleAsync(userId) is not (ProjectRole.Owner or ProjectRole.Editor))
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only the owner and editors may apply a mix; ask without apply for a proposal.");
        }

        return await jobs.StartAsync(userId, role, JobKind.Mix, new MixInput(projectId, version, request.Apply ?? false));
    }

    public Task<JobInfo> WriteLyricsAsync(Guid userId, UserRole role, LyricsRequest request)
    {
        var theme = request.Theme?.Trim() ?? "";
        Check(theme.Length is >= 1 and <= 200, "theme", "theme is required, at most 200 characters.");
        Check((request.Genre?.Length ?? 0) <= 50 && (request.Mood?.Length ?? 0) <= 50, "genre", "genre and mood are at most 50 characters.");
        var structure = LyricsSpec.ParseStructure(request.Structure, out var reason) ?? throw DomainException.Invalid("structure", reason!);
        var scheme = request.RhymeScheme?.Trim().ToUpperInvariant() ?? "ABAB";
        Check(LyricsSpec.IsScheme(scheme), "rhymeScheme", "rhymeScheme is 2 to 8 letters A-H, one per line, e.g. ABAB or AABB.");
        var syllables = request.SyllablesPerLine ?? 8;
        Check(syllables is >= 4 and <= 16, "syllablesPerLine", "syllablesPerLine must be between 4 and 16.");
        var language = request.Language?.Trim().ToLowerInvariant() ?? "en";
        Check(language.Length is >= 2 and <= 12, "language", "language is a language tag such as en or es.");
        var useModel = request.Provider?.ToLowerInvariant() switch
        {
            null => lyricsOptions.Value.HasModel,
            "model" => lyricsOptions.Value.HasModel ? true : throw DomainException.Invalid("provider", "No lyrics model is configured on this platform; use provider offline."),
            "offline" => false,
            _ => throw DomainException.Invalid("provider", "provider must be model or offline."),
        };
        Check(useModel || language == "en", "language", "The offline lyricist writes English only; other languages need the model.");
        return jobs.StartAsync(userId, role, JobKind.Lyrics,
            new LyricsInput(theme, request.Genre, request.Mood, structure, scheme, syllables, language, request.Seed ?? Random.Shared.Next(), useModel));
    }

    /// <summary>The assistant answers at once (no job): it only reads the pronouncing dictionary.</summary>
    public async Task<LyricsAssistResponse> AssistAsync(Guid userId, LyricsAssistRequest request)
    {
        var text = request.Text ?? "";
        Check(text.Length <= 20_000, "text", "text is at most 20 000 characters.");
        double tempo = request.Tempo ?? 120;
        var beatsPerBar = request.BeatsPerBar ?? 4;
        if (request.ProjectId is { } projectId)
        {
            var project = await grains.GetGrain<IProjectGrain>(projectId).GetAsync(userId);
            (tempo, beatsPerBar) = (request.Tempo ?? project.Tempo, request.BeatsPerBar ?? project.TimeSignature.Numerator);
        }

        Check(tempo is >= 20 and <= 999, "tempo", "tempo must be between 20 and 999 BPM.");
        Check(beatsPerBar is >= 1 and <= 16, "beatsPerBar", "beatsPerBar must be between 1 and 16.");
        var perBeat = request.SyllablesPerBeat ?? 2;
        Check(perBeat is >= 1 and <= 4, "syllablesPerBeat", "syllablesPerBeat must be between 1 and 4.");
        var assistance = await grains.GetGrain<ILyricsAssistantGrain>(0).AssistAsync(text, tempo, beatsPerBar, perBeat, request.Word);
        return new LyricsAssistResponse(assistance.Analysis, assistance.Word, assistance.Rhymes);
    }

    private static void Check(bool condition, string field, string reason)
    {
        if (!condition)
        {
            throw DomainException.Invalid(field, reason);
        }
    }

    /// <summary>The caller's asset, processed and within the AI tools' length (not found for anyone else's).</summary>
    private async Task UsableAssetAsync(Guid userId, Guid assetId, string field)
    {
        var asset = (await grains.GetGrain<IAssetGrain>(assetId).GetAsync(userId)).RequireReady(field);

        var max = options.Value.MaxAudioMinutes;
        if (asset.DurationSeconds > max * 60.0)
        {
            throw DomainException.Invalid(field, $"The audio is {asset.DurationSeconds / 60:F0} minutes long; AI tools take at most {max}.");
        }
    }
}
