using System.IO.Compression;
using System.Security.Claims;
using Jacameno.Assets;
using Jacameno.Audio.Formats;
using Jacameno.Common;
using Jacameno.Frontend.Assets;
using Jacameno.Frontend.Auth;
using Jacameno.Infrastructure.Blobs;
using Jacameno.Projects;
using Jacameno.Projects.Interchange;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Projects;

/// <summary>The outcome of an import: the new project, and what could not be carried over.</summary>
public sealed record DawProjectImportResponse(ProjectDocument Project, IReadOnlyList<Guid> Assets, IReadOnlyList<string> Warnings);

/// <summary>DAWproject export (a zip streamed from the blob store) and import (a zip uploaded to a temp file, its audio made assets).</summary>
public static class DawProjectEndpoints
{
    public static IEndpointRouteBuilder MapDawProjectEndpoints(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/projects").WithTags("Projects").RequireAuthorization(Policies.Authenticated);
        projects.MapGet("/{id:guid}/dawproject", ExportAsync)
            .WithSummary("The project (current version or ?version=) as a DAWproject file with its audio, for Bitwig, Studio One, Cubase.");
        projects.MapPost("/dawproject", ImportAsync)
            .WithSummary("Imports a DAWproject (raw body or multipart): a new project owned by the caller; its audio files become the caller's assets.")
            .DisableAntiforgery();
        return app;
    }

    private static async Task ExportAsync(Guid id, long? version, HttpContext http, ClaimsPrincipal user, ProjectService projects, IGrainFactory grains, IBlobStore blobs)
    {
        var current = await projects.GetAsync(user.UserId(), id);
        var project = version is { } v && v != current.Version ? await projects.VersionAsync(user.UserId(), id, v) : current;
        // A member may take the audio of every clip, whoever uploaded it: they hear it in the project anyway.
        var files = new Dictionary<Guid, (string Path, string Key)>();
        foreach (var assetId in project.Tracks.SelectMany(t => t.Clips).Select(c => c.AssetId).OfType<Guid>().Distinct())
        {
            try
            {
                var (info, key) = await grains.GetGrain<IAssetGrain>(assetId).GetSourceAsync();
                var extension = AudioContainer.FromDemuxer(info.Format)?.Extension ?? ".wav";
                files[assetId] = ($"audio/{assetId:N}{extension}", key);
            }
            catch (DomainException)
            {
                // A clip whose audio is gone is written without it.
            }
        }

        http.Response.ContentType = "application/zip";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{Rendering.RenderJob.Safe(project.Name)}.dawproject\"";
        await using var zip = new ZipArchive(http.Response.BodyWriter.AsStream(), ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, document) in new[] { (DawProject.ProjectEntry, DawProject.WriteProject(project, a => files.TryGetValue(a, out var f) ? f.Path : null)), (DawProject.MetadataEntry, DawProject.WriteMetadata(project)) })
        {
            await using var entry = await zip.CreateEntry(name, CompressionLevel.Optimal).OpenAsync(http.RequestAborted);
            await document.SaveAsync(entry, System.Xml.Linq.SaveOptions.None, http.RequestAborted);
        }

        foreach (var (path, key) in files.Values)
        {
            await using var content = await blobs.GetAsync(key, cancellationToken: http.RequestAborted);
            if (content is null)
            {
                continue;
            }

            await using var entry = await zip.CreateEntry(path, CompressionLevel.NoCompression).OpenAsync(http.RequestAborted);
            await content.Stream.CopyToAsync(entry, http.RequestAborted);
        }
    }

    private static async Task<IResult> ImportAsync(HttpContext http, ClaimsPrincipal user, IGrainFactory grains, IBlobStore blobs, IOptions<AssetOptions> options)
    {
        var max = options.Value.MaxUploadBytes;
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        var (body, name) = await AssetEndpoints.SourceAsync(http, null);
        var temp = Path.Combine(Path.GetTempPath(), $"jacameno-dawproject-{Guid.NewGuid():N}.zip");
        try
        {
            await using (var file = File.Create(temp))
            {
                try
                {
                    await new LimitedStream(body, max).CopyToAsync(file, http.RequestAborted);
                }
                catch (LimitedStream.TooLargeException)
                {
                    return Results.Problem(statusCode: 413, title: "Payload too large", detail: $"Uploads are limited to {max} bytes.");
                }
            }

            ZipArchive zip;
            try
            {
                zip = await ZipArchive.CreateAsync(File.OpenRead(temp), ZipArchiveMode.Read, leaveOpen: false, entryNameEncoding: null, http.RequestAborted);
            }
            catch (InvalidDataException)
            {
                throw DomainException.Invalid("file", "The file is not a DAWproject (not a zip archive).");
            }

            await using (zip)
            {
                var userId = user.UserId();
                var imported = await DawProjectImport.ImportAsync(zip, Path.GetFileNameWithoutExtension(name), userId, options.Value.QuotaFor(user.Role()),
                    grains, blobs, options.Value, http.RequestAborted);
                return TypedResults.Created("/api/projects", new DawProjectImportResponse(await grains.GetGrain<IProjectGrain>(imported.ProjectId).GetAsync(userId),
                    imported.Assets, imported.Warnings));
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
