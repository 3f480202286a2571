using System.Security.Claims;
using Jacameno.Apps;
using Jacameno.Assets;
using Jacameno.Common;
using Jacameno.Frontend.Apps;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Projects;
using Jacameno.Frontend.Streaming;
using Jacameno.Projects.Interchange;
using Jacameno.Streaming;
using Jacameno.Uploads;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Uploads;

/// <summary>
/// What a resumable upload is for. Its limits are those of the single-request endpoint for the same thing, and once
/// its last byte is in, its bytes go through the very call that endpoint makes with a request body: one path from
/// complete bytes to an asset, a project or artwork, whichever way the bytes came.
/// </summary>
public sealed class UploadTargets(IGrainFactory grains, IAssetUploads assets, IDawProjectInterchange interchange, ReleaseService releases,
    IOptions<AssetOptions> assetOptions)
{
    /// <summary>The largest file of the purpose, as its own endpoint takes it.</summary>
    public long MaxBytes(UploadPurpose purpose) => purpose == UploadPurpose.Artwork ? IReleaseArtwork.MaxBytes : assetOptions.Value.MaxUploadBytes;

    /// <summary>The largest file of any purpose (Tus-Max-Size).</summary>
    public long MaxBytes() => Enum.GetValues<UploadPurpose>().Max(MaxBytes);

    /// <summary>Whether the file's bytes become stored audio of the caller (an asset, or an import's audio files).</summary>
    public static bool CountsAgainstQuota(UploadPurpose purpose) => purpose != UploadPurpose.Artwork;

    public long? QuotaFor(ClaimsPrincipal user) => assetOptions.Value.QuotaFor(user.Role());

    /// <summary>
    /// Refuses, before any byte is sent, an upload whose target the caller may not change, as its own endpoint would:
    /// artwork is a change of the caller's release (and, for a scoped token, needs releases:write as well).
    /// </summary>
    public async Task CheckAsync(ClaimsPrincipal user, UploadPurpose purpose, Guid? targetId)
    {
        if (purpose != UploadPurpose.Artwork)
        {
            return;
        }

        ScopeRules.Demand(user, ApiScopes.ReleasesWrite);
        if (targetId is { } releaseId
            && (await grains.GetGrain<IReleaseGrain>(releaseId).GetAsync(new ReleaseViewer(user.UserId()))).OwnerId != user.UserId())
        {
            throw new DomainException(DomainErrorKind.Forbidden, "Only the release's owner may change it.");
        }
    }

    /// <summary>Makes the whole file <paramref name="content"/> what <paramref name="upload"/> is for; the id of what it became.</summary>
    public async Task<Guid> CompleteAsync(ResumableUpload upload, Stream content, ClaimsPrincipal user, CancellationToken cancellationToken) => upload.Purpose switch
    {
        UploadPurpose.Asset => (await assets.UploadAsync(user.UserId(), user.Role(), content, upload.FileName, cancellationToken)).Id,
        UploadPurpose.Import => (await DawProjectEndpoints.ImportFileAsync(content, upload.FileName, user, grains, interchange, cancellationToken)).Project.Id,
        UploadPurpose.Artwork => (await releases.SetArtworkAsync(user.UserId(), upload.TargetId!.Value, content, cancellationToken)).Id,
        _ => throw new ArgumentOutOfRangeException(nameof(upload), upload.Purpose, null),
    };

    /// <summary>What an upload became, as the API names it.</summary>
    public static UploadResourceResponse? ResourceOf(ResumableUpload upload) => upload.ResourceId is not { } id ? null : upload.Purpose switch
    {
        UploadPurpose.Asset => new UploadResourceResponse("asset", id, $"/api/assets/{id}"),
        UploadPurpose.Import => new UploadResourceResponse("project", id, $"/api/projects/{id}"),
        _ => new UploadResourceResponse("release", id, $"/api/releases/{id}"),
    };
}
