using Jacameno.AI;
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
public sealed class AiService(IGrainFactory grains, JobService jobs, IOptions<JobOptions> options)
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
        var asset = await grains.GetGrain<IAssetGrain>(assetId).GetAsync(userId);
        switch (asset.Status)
        {
            case AssetStatus.Processing:
                throw new DomainException(DomainErrorKind.Conflict, "The asset is still being processed; try again when it is ready.", field);
            case AssetStatus.Failed:
                throw DomainException.Invalid(field, $"The asset is not usable audio: {asset.Error}");
        }

        var max = options.Value.MaxAudioMinutes;
        if (asset.DurationSeconds > max * 60.0)
        {
            throw DomainException.Invalid(field, $"The audio is {asset.DurationSeconds / 60:F0} minutes long; AI tools take at most {max}.");
        }
    }
}
