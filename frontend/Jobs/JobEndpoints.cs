using System.IO.Compression;
using System.Security.Claims;
using Jacameno.Assets;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Http;
using Jacameno.Storage.Blobs;

namespace Jacameno.Frontend.Jobs;

public static class JobEndpoints
{
    public static IEndpointRouteBuilder MapJobEndpoints(this IEndpointRouteBuilder app)
    {
        var jobs = app.MapGroup("/api/jobs").WithTags("Jobs").RequireAuthorization(Policies.Authenticated);

        jobs.MapGet("/", async (int? first, string? after, ClaimsPrincipal user, JobService service, HttpContext http) =>
                Paging.Page(await service.ListAsync(user.UserId(), first ?? 20, after), JobResponse.From, http))
            .WithSummary("The caller's jobs, newest first.");

        jobs.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, JobService service) =>
                TypedResults.Ok(JobResponse.From(await service.GetAsync(user.UserId(), id))))
            .WithSummary("The job: status, progress and stage, result (output assets and report), attempts, error.");

        jobs.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, JobService service) =>
                TypedResults.Ok(JobResponse.From(await service.CancelAsync(user.UserId(), id))))
            .WithSummary("Cancels a queued or running job; a finished one is returned as it is.");

        jobs.MapGet("/{id:guid}/stems.zip", StemsZipAsync)
            .WithSummary("The stems of a finished render with stems, as one zip file.");

        app.MapPost("/api/projects/{id:guid}/renders", async (Guid id, RenderRequest request, ClaimsPrincipal user, JobService service) =>
            {
                var job = await service.RenderAsync(user.UserId(), user.Role(), id, request);
                return TypedResults.Accepted($"/api/jobs/{job.Id}", JobResponse.From(job));
            })
            .WithTags("Jobs")
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Renders the project (current version or `version`) as a job: format wav|flac|mp3|opus|aac, sampleRate, bitDepth, stems, mp3 v0|320.");
        return app;
    }

    /// <summary>Zips the stems straight from the blob store into the response; nothing is held whole in memory.</summary>
    private static async Task StemsZipAsync(Guid id, HttpContext http, ClaimsPrincipal user, JobService service, IGrainFactory grains, IBlobStore blobs)
    {
        var stems = await service.OutputsAsync(user.UserId(), id, "stem:");
        if (stems.Count == 0)
        {
            throw new Common.DomainException(Common.DomainErrorKind.NotFound, "The job made no stems; render with stems: true.");
        }

        http.Response.ContentType = "application/zip";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"stems-{id:N}.zip\"";
        await using var zip = new ZipArchive(http.Response.BodyWriter.AsStream(), ZipArchiveMode.Create, leaveOpen: true);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (_, asset) in stems)
        {
            var key = await grains.GetGrain<IAssetGrain>(asset.Id).GetBlobKeyAsync(user.UserId(), peaks: false);
            await using var content = await blobs.GetAsync(key, cancellationToken: http.RequestAborted) ?? throw Common.DomainException.NotFound("A stem");
            var name = asset.FileName;
            for (var n = 2; !names.Add(name); n++)
            {
                name = $"{Path.GetFileNameWithoutExtension(asset.FileName)} ({n}){Path.GetExtension(asset.FileName)}";
            }

            // Audio barely compresses; storing keeps the zip fast.
            await using var entry = await zip.CreateEntry(name, CompressionLevel.NoCompression).OpenAsync(http.RequestAborted);
            await content.Stream.CopyToAsync(entry, http.RequestAborted);
        }
    }
}
