using Jacameno.Assets;
using Jacameno.Common;
using Jacameno.Frontend.Http;
using Jacameno.Jobs;
using Jacameno.Projects;
using Jacameno.Rendering;
using Jacameno.Storage.Catalog;
using Jacameno.Users;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Jobs;

/// <summary>Job use cases; REST and GraphQL both call these. Inputs are validated here, so bad input is a 400, not a failed job.</summary>
public sealed class JobService(IGrainFactory grains, ICatalog catalog, IOptions<JobOptions> options)
{
    /// <summary>Accepts a job for the user, within the limits of their role (429 with a reason beyond them).</summary>
    public Task<JobInfo> StartAsync(Guid userId, UserRole role, JobKind kind, object input, Guid? jobId = null) =>
        grains.GetGrain<IJobGrain>(jobId ?? Guid.NewGuid()).CreateAsync(userId, kind, JobInputs.Serialize(input), options.Value.LimitsFor(role));

    public Task<JobInfo> GetAsync(Guid userId, Guid jobId) => grains.GetGrain<IJobGrain>(jobId).GetAsync(userId);

    public Task<JobInfo> CancelAsync(Guid userId, Guid jobId) => grains.GetGrain<IJobGrain>(jobId).CancelAsync(userId);

    public async Task<CatalogPage<JobInfo>> ListAsync(Guid userId, int first, string? after)
    {
        var page = await catalog.ListOwnedAsync(OwnedList.Jobs, userId, first, after);
        var jobs = await Task.WhenAll(page.Items.Select(id => grains.GetGrain<IJobGrain>(id).GetAsync(userId)));
        return page.With(jobs);
    }

    /// <summary>Renders the project at its current version (or the one asked for) through the job system.</summary>
    public async Task<JobInfo> RenderAsync(Guid userId, UserRole role, Guid projectId, RenderRequest request)
    {
        var project = await grains.GetGrain<IProjectGrain>(projectId).GetAsync(userId);
        var version = request.Version ?? project.Version;
        if (version < 0 || version > project.Version)
        {
            throw DomainException.Invalid("version", $"version must be between 0 and the project's version {project.Version}.");
        }

        var format = request.Format ?? AudioFileFormat.Wav;
        if (!Enum.IsDefined(format))
        {
            throw DomainException.Invalid("format", "format must be wav, flac, mp3, opus or aac.");
        }

        var sampleRate = request.SampleRate ?? project.SampleRate;
        if (sampleRate is not (44100 or 48000 or 88200 or 96000))
        {
            throw DomainException.Invalid("sampleRate", "sampleRate must be 44100, 48000, 88200 or 96000.");
        }

        var bitDepth = request.BitDepth ?? 24;
        var allowed = format switch { AudioFileFormat.Wav => new[] { 16, 24, 32 }, AudioFileFormat.Flac => [16, 24], _ => [16, 24, 32] };
        if (!allowed.Contains(bitDepth))
        {
            throw DomainException.Invalid("bitDepth", $"bitDepth for {ApiEnums.Name(format)} must be {string.Join(", ", allowed)}.");
        }

        var mp3Cbr320 = request.Mp3?.ToLowerInvariant() switch
        {
            null or "v0" => false,
            "320" => true,
            _ => throw DomainException.Invalid("mp3", "mp3 must be v0 or 320."),
        };
        return await StartAsync(userId, role, JobKind.Render, new RenderInput(projectId, version, format, sampleRate, bitDepth, request.Stems ?? false, mp3Cbr320));
    }

    /// <summary>The named audio outputs of the user's finished job, with their assets.</summary>
    public async Task<IReadOnlyList<(string Name, AssetInfo Asset)>> OutputsAsync(Guid userId, Guid jobId, string prefix)
    {
        var job = await GetAsync(userId, jobId);
        if (job.Status != JobStatus.Succeeded)
        {
            throw new DomainException(DomainErrorKind.Conflict, $"The job is {ApiEnums.Name(job.Status)}; its files exist once it succeeded.");
        }

        var outputs = job.Result!.Outputs.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        return await Task.WhenAll(outputs.Select(async o => (o.Key, await grains.GetGrain<IAssetGrain>(o.Value).GetAsync(userId))));
    }
}
