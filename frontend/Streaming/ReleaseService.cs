using Jacameno.Assets;
using Jacameno.Common;
using Jacameno.Frontend.Jobs;
using Jacameno.Frontend.Users;
using Jacameno.Jobs;
using Jacameno.Projects;
using Jacameno.Storage.Blobs;
using Jacameno.Storage.Catalog;
using Jacameno.Streaming;
using Jacameno.Users;

namespace Jacameno.Frontend.Streaming;

/// <summary>Release use cases; REST and GraphQL both call these, so input is checked once, here and in the grains.</summary>
public sealed class ReleaseService(IGrainFactory grains, IStreamingCatalog catalog, IBlobStore blobs, IReleaseArtwork artwork, JobService jobs, TimeProvider clock,
    AccountGate gate, PremiumService premium)
{
    /// <summary>How long a stream URL works. Players ask again when it has passed.</summary>
    public static readonly TimeSpan StreamUrlLifetime = TimeSpan.FromMinutes(15);

    private IReleaseGrain Release(Guid id) => grains.GetGrain<IReleaseGrain>(id);

    public async Task<PublishResponse> PublishAsync(Guid userId, UserRole role, ReleaseDetails details, AudioSource source)
    {
        await gate.EnsureMayPublishAsync(userId);
        premium.EnsureMaySchedule(role, details.ReleaseAt);
        var input = await CheckSourceAsync(userId, source);
        var (releaseId, jobId) = (Guid.NewGuid(), Guid.NewGuid());
        var release = await Release(releaseId).CreateAsync(userId, details, jobId);
        await StartRenditionsAsync(userId, role, releaseId, jobId, 1, input, () => Release(releaseId).DeleteAsync(userId));
        return new PublishResponse(release, jobId);
    }

    public async Task<PublishResponse> ReplaceAudioAsync(Guid userId, UserRole role, Guid releaseId, AudioSource source)
    {
        var input = await CheckSourceAsync(userId, source);
        var jobId = Guid.NewGuid();
        var (release, version) = await Release(releaseId).ReplaceAudioAsync(userId, jobId);
        await StartRenditionsAsync(userId, role, releaseId, jobId, version, input,
            () => Release(releaseId).RenditionsFailedAsync(version, "The job could not start."));
        return new PublishResponse(release, jobId);
    }

    public Task<ReleaseInfo> GetAsync(Guid releaseId, ReleaseViewer viewer) => Release(releaseId).GetAsync(viewer);

    public Task<ReleaseInfo> UpdateAsync(Guid userId, UserRole role, Guid releaseId, ReleaseDetails details)
    {
        premium.EnsureMaySchedule(role, details.ReleaseAt);
        return Release(releaseId).UpdateAsync(userId, details);
    }

    public async Task<ReleaseInfo> SetPublishedAsync(Guid userId, Guid releaseId, bool published)
    {
        if (published)
        {
            await gate.EnsureMayPublishAsync(userId);
        }

        return await Release(releaseId).SetPublishedAsync(userId, published);
    }

    public Task DeleteAsync(Guid userId, Guid releaseId) => Release(releaseId).DeleteAsync(userId);

    /// <summary>Signed URLs for the renditions the viewer may have (one when <paramref name="format"/> is given).</summary>
    public async Task<IReadOnlyList<StreamResponse>> StreamAsync(Guid releaseId, ReleaseViewer viewer, RenditionFormat? format)
    {
        var info = await Release(releaseId).GetAsync(viewer);
        var formats = format is { } one ? [one] : info.Formats;
        if (formats.Count == 0)
        {
            throw new DomainException(DomainErrorKind.Conflict, info.Status == ReleaseStatus.Failed
                ? $"The release has no audio: {info.Error}" : "The release's audio is still being prepared.");
        }

        var expires = clock.GetUtcNow() + StreamUrlLifetime;
        var streams = new List<StreamResponse>();
        foreach (var f in formats)
        {
            var rendition = await Release(releaseId).GetRenditionAsync(viewer, f);
            var url = await blobs.GetDownloadUrlAsync(rendition.BlobKey, StreamUrlLifetime);
            streams.Add(new StreamResponse(f, rendition.ContentType, rendition.Size, url.ToString(), expires));
        }

        return streams;
    }

    public Task<ReleaseInfo> SetArtworkAsync(Guid userId, Guid releaseId, Stream image, CancellationToken cancellationToken) =>
        artwork.SetAsync(userId, releaseId, image, cancellationToken);

    public Task<ReleaseInfo> LikeAsync(Guid releaseId, ReleaseViewer viewer, bool like) => Release(releaseId).LikeAsync(viewer, like);

    public Task<ReleaseInfo> RepostAsync(Guid releaseId, ReleaseViewer viewer, bool repost) => Release(releaseId).RepostAsync(viewer, repost);

    public Task<PlayResult> PlayAsync(Guid releaseId, ReleaseViewer viewer, string listenerKey, string? playId, string? source = null, string? country = null) =>
        Release(releaseId).PlayAsync(viewer, listenerKey, playId, source, country);

    public Task<ReleaseComment> CommentAsync(Guid releaseId, ReleaseViewer viewer, string? text, double? atSeconds, Guid? parentId) =>
        Release(releaseId).CommentAsync(viewer, text ?? "", atSeconds ?? 0, parentId);

    public Task DeleteCommentAsync(Guid userId, Guid releaseId, Guid commentId) => Release(releaseId).DeleteCommentAsync(userId, commentId);

    public async Task<CatalogPage<ReleaseComment>> CommentsAsync(Guid releaseId, ReleaseViewer viewer, int first, string? after)
    {
        await Release(releaseId).CheckVisibleAsync(viewer);
        return await catalog.ListCommentsAsync(releaseId, first, after);
    }

    /// <summary>Search and browse: every filter is checked and normalized as a release's details are.</summary>
    public Task<CatalogPage<ReleaseSummary>> SearchAsync(string? q, string? genre, string? tag, double? bpmMin, double? bpmMax, string? key,
        string? sort, Guid? ownerId, int first, string? after)
    {
        var order = sort?.ToLowerInvariant() switch
        {
            null or "" => ReleaseSort.Relevance,
            "relevance" => ReleaseSort.Relevance,
            "new" => ReleaseSort.New,
            "trending" => ReleaseSort.Trending,
            "top" => ReleaseSort.Top,
            _ => throw DomainException.Invalid("sort", "sort must be relevance, new, trending or top."),
        };
        if (bpmMin is { } min && !double.IsFinite(min) || bpmMax is { } max && !double.IsFinite(max) || bpmMin > bpmMax)
        {
            throw DomainException.Invalid("bpmMin", "bpmMin and bpmMax must be numbers, bpmMin no larger than bpmMax.");
        }

        if (q?.Length > 200)
        {
            throw DomainException.Invalid("q", "q is at most 200 characters.");
        }

        return catalog.SearchReleasesAsync(new ReleaseQuery(q, ReleaseRules.Label(genre, "genre", 40), ReleaseRules.Label(tag, "tag"), bpmMin, bpmMax,
            ReleaseRules.Key(key), ownerId, order, first, after), clock.GetUtcNow());
    }

    /// <summary>A user's releases: all of them for the user themself, the listed ones for everyone else.</summary>
    public Task<CatalogPage<ReleaseSummary>> UserReleasesAsync(Guid ownerId, Guid? viewerId, int first, string? after) =>
        viewerId == ownerId
            ? catalog.ListOwnReleasesAsync(ownerId, first, after)
            : SearchAsync(null, null, null, null, null, null, "new", ownerId, first, after);

    public async Task<IReadOnlyList<ReleaseSummary>> RelatedAsync(Guid releaseId, ReleaseViewer viewer, int first)
    {
        await Release(releaseId).CheckVisibleAsync(viewer);
        var release = (await catalog.GetReleasesAsync([releaseId])).SingleOrDefault() ?? throw DomainException.NotFound("The release");
        return await catalog.RelatedAsync(release, clock.GetUtcNow(), Math.Clamp(first, 1, CatalogCursor.MaxPageSize));
    }

    public async Task<IReadOnlyList<GenreCount>> GenresAsync(int first) =>
        [.. (await catalog.GenresAsync(clock.GetUtcNow(), Math.Clamp(first, 1, CatalogCursor.MaxPageSize))).Select(g => new GenreCount(g.Genre, g.Releases))];

    private async Task<AudioSource> CheckSourceAsync(Guid userId, AudioSource source)
    {
        switch (source)
        {
            case { AssetId: { } assetId, ProjectId: null }:
                (await grains.GetGrain<IAssetGrain>(assetId).GetAsync(userId)).RequireReady("assetId");
                return new AudioSource(assetId, null, null);
            case { ProjectId: { } projectId, AssetId: null }:
                var project = await grains.GetGrain<IProjectGrain>(projectId).GetAsync(userId);
                var version = source.ProjectVersion ?? project.Version;
                return version >= 0 && version <= project.Version
                    ? new AudioSource(null, projectId, version)
                    : throw DomainException.Invalid("projectVersion", $"projectVersion must be between 0 and the project's version {project.Version}.");
            default:
                throw DomainException.Invalid("assetId", "Give the audio as assetId (an upload or a render) or projectId, not both.");
        }
    }

    private async Task StartRenditionsAsync(Guid userId, UserRole role, Guid releaseId, Guid jobId, int version, AudioSource source, Func<Task> undo)
    {
        try
        {
            await jobs.StartAsync(userId, role, JobKind.Release,
                new ReleaseRenditionsInput(releaseId, version, source.AssetId, source.ProjectId, source.ProjectVersion), jobId);
        }
        catch
        {
            await undo();
            throw;
        }
    }
}
