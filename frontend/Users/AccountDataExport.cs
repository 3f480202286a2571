using Jacameno.Common;
using Jacameno.Jobs;
using Jacameno.Storage.Blobs;
using Jacameno.Users;

namespace Jacameno.Frontend.Users;

/// <summary>Where a finished export of one's data can be downloaded.</summary>
public sealed record ExportDownloadResponse(string Url, DateTimeOffset ExpiresAt);

/// <summary>The download of an account's data export: only its owner's, only once the job made it.</summary>
public sealed class AccountDataExport(IGrainFactory grains, IBlobStore blobs, TimeProvider clock)
{
    public async Task<ExportDownloadResponse> DownloadAsync(Guid userId, Guid jobId)
    {
        var job = await grains.GetGrain<IJobGrain>(jobId).GetAsync(userId);
        if (job.Kind != JobKind.AccountExport)
        {
            throw DomainException.NotFound("The export");
        }

        return job.Status switch
        {
            JobStatus.Succeeded => new ExportDownloadResponse(
                (await blobs.GetDownloadUrlAsync(AccountExport.KeyOf(userId, jobId), AccountExport.LinkLifetime)).ToString(), clock.GetUtcNow() + AccountExport.LinkLifetime),
            JobStatus.Failed or JobStatus.Cancelled => throw new DomainException(DomainErrorKind.Conflict, $"The export did not finish: {job.Error ?? "cancelled"}. Start a new one."),
            _ => throw new DomainException(DomainErrorKind.NotReady, "The export is still being made; try again when its job has succeeded."),
        };
    }
}
