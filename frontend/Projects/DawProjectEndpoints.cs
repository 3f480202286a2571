using System.IO.Compression;
using System.Security.Claims;
using System.Text.Json;
using Jacameno.Assets;
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
    private const int MaxAudioFiles = 500;

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
                var extension = Path.GetExtension(info.FileName) is { Length: > 1 and <= 6 } e ? e.ToLowerInvariant() : $".{info.Format ?? "wav"}";
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

        var (body, name, _) = await AssetEndpoints.SourceAsync(http, null);
        var temp = Path.Combine(Path.GetTempPath(), $"jacameno-dawproject-{Guid.NewGuid():N}.zip");
        try
        {
            await using (var file = File.Create(temp))
            {
                try
                {
                    await new AssetEndpoints.LimitedStream(body, max).CopyToAsync(file, http.RequestAborted);
                }
                catch (AssetEndpoints.LimitedStream.TooLargeException)
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
                return TypedResults.Created("/api/projects", await ImportArchiveAsync(zip, Path.GetFileNameWithoutExtension(name), user, grains, blobs, options.Value, http.RequestAborted));
            }
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static async Task<DawProjectImportResponse> ImportArchiveAsync(ZipArchive zip, string fallbackTitle, ClaimsPrincipal user, IGrainFactory grains, IBlobStore blobs,
        AssetOptions limits, CancellationToken cancellationToken)
    {
        var projectEntry = zip.GetEntry(DawProject.ProjectEntry) ?? throw DomainException.Invalid("file", "The archive has no project.xml; it is not a DAWproject.");
        if (projectEntry.Length > DawProject.MaxXmlBytes)
        {
            throw DomainException.Invalid("file", "project.xml is larger than a project description can be.");
        }

        DawProjectContent content;
        try
        {
            await using var projectXml = await projectEntry.OpenAsync(cancellationToken);
            var metadataEntry = zip.GetEntry(DawProject.MetadataEntry);
            await using var metadataXml = metadataEntry is { Length: <= 1 << 20 } ? await metadataEntry.OpenAsync(cancellationToken) : null;
            content = DawProject.Read(projectXml, metadataXml, string.IsNullOrWhiteSpace(fallbackTitle) || fallbackTitle == "upload" ? "Imported project" : fallbackTitle);
        }
        catch (DawProjectException e)
        {
            throw DomainException.Invalid("file", e.Message);
        }

        var userId = user.UserId();
        var warnings = new List<string>();
        var paths = content.Tracks.SelectMany(t => t.Clips).Select(c => c.AudioPath).OfType<string>().Distinct().ToList();
        if (paths.Count > MaxAudioFiles)
        {
            throw DomainException.Invalid("file", $"The project refers to {paths.Count} audio files; at most {MaxAudioFiles} are imported.");
        }

        // Each audio file becomes an asset of the caller (counted against their storage), processed like an upload.
        var assets = new Dictionary<string, Guid>();
        foreach (var path in paths)
        {
            var entry = zip.GetEntry(path.TrimStart('/').Replace('\\', '/'));
            if (entry is null || entry.Length > limits.MaxUploadBytes)
            {
                warnings.Add(entry is null ? $"{path} is not in the archive; its clips are left out." : $"{path} is larger than an upload may be; its clips are left out.");
                continue;
            }

            await using var audio = await entry.OpenAsync(cancellationToken);
            var asset = await AssetFiles.CreateAsync(grains, blobs, userId, limits.QuotaFor(user.Role()), new AssetEndpoints.LimitedStream(audio, limits.MaxUploadBytes),
                Path.GetFileName(path), "application/octet-stream", cancellationToken);
            assets[path] = asset.Id;
        }

        var project = grains.GetGrain<IProjectGrain>(Guid.NewGuid());
        var document = await project.CreateAsync(userId, new CreateProjectCommand(content.Title.Length > ProjectLimits.MaxNameLength ? content.Title[..ProjectLimits.MaxNameLength] : content.Title,
            "Imported from a DAWproject.", Math.Clamp(content.Tempo, 20, 999), 48000));
        var rate = document.SampleRate;
        long Samples(double seconds) => (long)Math.Round(Math.Max(0, seconds) * rate);
        var ops = new List<(string Kind, object Payload)>
        {
            ("project.set", new ProjectSet(TimeSignature: new TimeSignatureValue(content.Numerator, content.Denominator))),
        };
        var ids = content.Tracks.ToDictionary(t => t.Id, _ => Guid.NewGuid());
        foreach (var track in content.Tracks)
        {
            ops.Add(("track.add", new TrackAdd(ids[track.Id], track.Name, track.Kind, track.Color is { Length: 7 } c && c[0] == '#' ? c : null)));
        }

        foreach (var track in content.Tracks)
        {
            var volume = track.VolumeLinear <= 0 ? -96 : Math.Clamp(20 * Math.Log10(track.VolumeLinear), -96, 12);
            var output = track.DestinationTrackId is { } destination && ids.TryGetValue(destination, out var bus) ? bus.ToString() : null;
            ops.Add(("track.set", new TrackSet(ids[track.Id], Math.Round(volume, 2), Math.Clamp((track.PanNormalized * 2) - 1, -1, 1), track.Mute, track.Solo, output)));
            foreach (var clip in track.Clips)
            {
                var clipId = Guid.NewGuid();
                Guid? asset = clip.AudioPath is { } path && assets.TryGetValue(path, out var a) ? a : null;
                if (clip.AudioPath is not null && asset is null)
                {
                    continue;
                }

                var notes = track.Kind == TrackKind.Midi
                    ? clip.Notes.Select(n => new NoteValue(Math.Clamp(n.Key, 0, 127), Math.Clamp((int)Math.Round(n.Velocity * 127), 1, 127), Samples(n.Time), Math.Max(1, Samples(n.Duration)))).ToList()
                    : null;
                ops.Add(("clip.add", new ClipAdd(ids[track.Id], Samples(clip.TimeSeconds), Math.Max(1, Samples(clip.DurationSeconds)), clipId, asset, Samples(clip.PlayStartSeconds), Notes: notes)));
                if (clip.FadeInSeconds > 0 || clip.FadeOutSeconds > 0)
                {
                    ops.Add(("clip.set", new ClipSet(clipId, FadeIn: new FadeValue(Samples(clip.FadeInSeconds)), FadeOut: new FadeValue(Samples(clip.FadeOutSeconds)))));
                }
            }
        }

        var version = document.Version;
        foreach (var batch in ops.Chunk(ProjectLimits.MaxBatch))
        {
            var result = await project.SubmitAsync(userId, [.. batch.Select((op, i) =>
                new OpSubmission("dawproject-import", Guid.NewGuid().ToString("N"), version, op.Kind, JsonSerializer.Serialize(op.Payload, OpJson.Options)))]);
            warnings.AddRange(result.Acks.Where(a => a.Status == OpStatus.Rejected).Select(a => $"Left out: {a.Reason}"));
            version = result.Acks.Max(a => a.Version);
        }

        return new DawProjectImportResponse(await project.GetAsync(userId), [.. assets.Values], warnings);
    }
}
