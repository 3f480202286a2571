using System.Security.Claims;
using Jacameno.Assets;
using Jacameno.Audio.Formats;
using Jacameno.Audio.Waveforms;
using Jacameno.Common;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Blobs;
using Jacameno.Frontend.Http;
using Jacameno.Frontend.Projects;
using Jacameno.Storage.Blobs;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Jacameno.Frontend.Assets;

public static class AssetEndpoints
{
    public static IEndpointRouteBuilder MapAssetEndpoints(this IEndpointRouteBuilder app)
    {
        var assets = app.MapGroup("/api/assets").WithTags("Assets").RequireAuthorization(Policies.Authenticated);

        assets.MapPost("/", UploadAsync)
            .WithSummary("Uploads audio as the raw body (?fileName=) or multipart/form-data; processing starts at once (status: processing).")
            .DisableAntiforgery();

        assets.MapGet("/", async (int? first, string? after, ClaimsPrincipal user, AssetLibrary library, HttpContext http) =>
                Paging.Page(await library.ListAsync(user.UserId(), first ?? 20, after), http))
            .WithSummary("The caller's audio files (uploads, renders, purchases kept in the library), newest first.");

        assets.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                TypedResults.Ok(await grains.GetGrain<IAssetGrain>(id).GetAsync(user.UserId())))
            .WithSummary("The asset: status, format, codec, duration, sample rate, channels, bit depth, size, loudness.");

        assets.MapGet("/{id:guid}/audio", StreamAudioAsync)
            .WithSummary("The original file, with HTTP Range support (206, 416).");

        assets.MapGet("/{id:guid}/peaks", PeaksAsync)
            .WithSummary("Waveform peaks as BBC audiowaveform v2: format=json|dat, samplesPerPixel (a multiple of 256), bits=8|16.");

        assets.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            {
                await grains.GetGrain<IAssetGrain>(id).DeleteAsync(user.UserId());
                return TypedResults.NoContent();
            })
            .WithSummary("Deletes the asset and its files.");

        // The audio of a project's clips, for every member: collaborators hear and see what others uploaded.
        var shared = app.MapGroup("/api/projects/{projectId:guid}/assets/{id:guid}").WithTags("Assets").RequireAuthorization(Policies.Authenticated);
        shared.MapGet("/", async (Guid projectId, Guid id, ClaimsPrincipal user, ProjectService projects, IGrainFactory grains) =>
                TypedResults.Ok((await ProjectAssetAsync(projectId, id, peaks: false, user, projects, grains)).Info))
            .WithSummary("An asset a clip of the project plays, for any member of the project.");
        shared.MapGet("/audio", async (Guid projectId, Guid id, HttpContext http, ClaimsPrincipal user, ProjectService projects, IGrainFactory grains, IBlobStore blobs) =>
            {
                var (info, key) = await ProjectAssetAsync(projectId, id, peaks: false, user, projects, grains);
                return await ServeAudioAsync(info, key, http, blobs);
            })
            .WithSummary("The original audio of a clip of the project, with HTTP Range support, for any member.");
        shared.MapGet("/peaks", async (Guid projectId, Guid id, string? format, int? samplesPerPixel, int? bits, HttpContext http, ClaimsPrincipal user, ProjectService projects, IGrainFactory grains, IBlobStore blobs) =>
            {
                CheckPeaksQuery(format, samplesPerPixel, bits);
                var (_, key) = await ProjectAssetAsync(projectId, id, peaks: true, user, projects, grains);
                return await PeaksFromBlobAsync(key, format, samplesPerPixel, bits, http, blobs);
            })
            .WithSummary("Waveform peaks of a clip's audio of the project, for any member (the same formats as an asset's).");
        return app;
    }

    /// <summary>The asset with its blob key when the caller is a member of the project and one of its clips plays it; else not found.</summary>
    private static async Task<(AssetInfo Info, string Key)> ProjectAssetAsync(Guid projectId, Guid assetId, bool peaks, ClaimsPrincipal user, ProjectService projects, IGrainFactory grains)
    {
        // Asks the project grain, rather than copying the whole project here for every waveform and audio read.
        if (!await projects.PlaysAssetAsync(user.UserId(), projectId, assetId))
        {
            throw DomainException.NotFound("The asset");
        }

        return await grains.GetGrain<IAssetGrain>(assetId).GetSourceAsync(peaks);
    }

    private static async Task<IResult> UploadAsync(HttpContext http, string? fileName, ClaimsPrincipal user, IAssetUploads uploads, IOptions<AssetOptions> options)
    {
        var max = options.Value.MaxUploadBytes;
        if (UploadLimits.Apply(http, max) is { } tooLarge)
        {
            return tooLarge;
        }

        // The quota is checked once the size is known (a body need not announce it); over it, nothing is kept.
        var (body, name) = await SourceAsync(http, fileName);
        return await UploadLimits.ReadAsync(body, max, async limited =>
        {
            var asset = await uploads.UploadAsync(user.UserId(), user.Role(), limited, name, http.RequestAborted);
            return TypedResults.Created($"/api/assets/{asset.Id}", asset);
        });
    }

    /// <summary>
    /// The file's bytes and name, streamed: the raw body, or the first file part of a multipart body. The client's
    /// media type is not kept: what a file is comes from its own bytes.
    /// </summary>
    internal static async Task<(Stream Body, string Name)> SourceAsync(HttpContext http, string? fileName)
    {
        var request = http.Request;
        if (MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            var boundary = HeaderUtilities.RemoveQuotes(type.Boundary).Value
                ?? throw DomainException.Invalid("file", "The multipart body has no boundary.");
            var reader = new MultipartReader(boundary, request.Body);
            while (await reader.ReadNextSectionAsync(http.RequestAborted) is { } section)
            {
                if (ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) && disposition.IsFileDisposition())
                {
                    return (section.Body, CleanName(disposition.FileName.Value ?? disposition.FileNameStar.Value));
                }
            }

            throw DomainException.Invalid("file", "The multipart body holds no file.");
        }

        return (request.Body, CleanName(fileName));
    }

    /// <summary>A file name as it is kept and shown: its last path segment, no control characters, at most 200 characters; "upload" when nothing is left.</summary>
    internal static string CleanName(string? name)
    {
        var clean = Path.GetFileName(string.Concat((name ?? "").Where(c => !char.IsControl(c))).Trim('"'));
        return string.IsNullOrWhiteSpace(clean) ? "upload" : clean.Length > 200 ? clean[..200] : clean;
    }

    private static async Task<IResult> StreamAudioAsync(Guid id, HttpContext http, ClaimsPrincipal user, IBlobStore blobs, IGrainFactory grains)
    {
        var asset = grains.GetGrain<IAssetGrain>(id);
        var info = await asset.GetAsync(user.UserId());
        return await ServeAudioAsync(info, await asset.GetBlobKeyAsync(user.UserId(), peaks: false), http, blobs);
    }

    private static async Task<IResult> ServeAudioAsync(AssetInfo info, string key, HttpContext http, IBlobStore blobs)
    {
        var total = info.Size;
        BlobEndpoints.MarkAsDownload(http.Response);
        http.Response.Headers.AcceptRanges = "bytes";
        var range = http.Request.GetTypedHeaders().Range;
        if (range is null || range.Ranges.Count != 1 || !string.Equals(range.Unit.Value, "bytes", StringComparison.OrdinalIgnoreCase))
        {
            var whole = await blobs.GetAsync(key, cancellationToken: http.RequestAborted) ?? throw DomainException.NotFound("The audio");
            http.Response.ContentLength = whole.TotalLength;
            return Results.Stream(whole.Stream, ContentTypeOf(info));
        }

        var (from, to) = (range.Ranges.First().From, range.Ranges.First().To);
        var (start, end) = from is { } f ? (f, Math.Min(to ?? total - 1, total - 1)) : (Math.Max(0, total - (to ?? 0)), total - 1);
        if (start >= total || start > end)
        {
            http.Response.Headers.ContentRange = $"bytes */{total}";
            return Results.Problem(statusCode: 416, title: "Range not satisfiable", detail: $"The file has {total} bytes.");
        }

        var part = await blobs.GetAsync(key, start, end - start + 1, http.RequestAborted) ?? throw DomainException.NotFound("The audio");
        http.Response.StatusCode = 206;
        http.Response.Headers.ContentRange = $"bytes {start}-{end}/{total}";
        http.Response.ContentLength = end - start + 1;
        http.Response.ContentType = ContentTypeOf(info);
        await using (part)
        {
            await part.Stream.CopyToAsync(http.Response.Body, http.RequestAborted);
        }

        return Results.Empty;
    }

    private static string ContentTypeOf(AssetInfo info) => AudioContainer.FromDemuxer(info.Format)?.ContentType ?? "application/octet-stream";

    private static async Task<IResult> PeaksAsync(Guid id, string? format, int? samplesPerPixel, int? bits, HttpContext http, ClaimsPrincipal user, IBlobStore blobs, IGrainFactory grains)
    {
        CheckPeaksQuery(format, samplesPerPixel, bits);
        return await PeaksFromBlobAsync(await grains.GetGrain<IAssetGrain>(id).GetBlobKeyAsync(user.UserId(), peaks: true), format, samplesPerPixel, bits, http, blobs);
    }

    /// <summary>Refuses a peaks query the stored peaks cannot answer, before anything is read.</summary>
    internal static void CheckPeaksQuery(string? format, int? samplesPerPixel, int? bits)
    {
        var perPixel = samplesPerPixel ?? IAssetGrain.PeaksSamplesPerPixel;
        if (perPixel < IAssetGrain.PeaksSamplesPerPixel || perPixel % IAssetGrain.PeaksSamplesPerPixel != 0 || perPixel > 1 << 20)
        {
            throw DomainException.Invalid("samplesPerPixel", $"samplesPerPixel must be a multiple of {IAssetGrain.PeaksSamplesPerPixel} up to 1048576.");
        }

        if (format is not (null or "json" or "dat") || bits is not (null or 8 or 16))
        {
            throw DomainException.Invalid(bits is not (null or 8 or 16) ? "bits" : "format", "format is json or dat; bits is 8 or 16.");
        }
    }

    /// <summary>Stored peaks (.dat, finest level) zoomed out and written as the query asks (BBC audiowaveform JSON or .dat).</summary>
    internal static async Task<IResult> PeaksFromBlobAsync(string key, string? format, int? samplesPerPixel, int? bits, HttpContext http, IBlobStore blobs)
    {
        var perPixel = samplesPerPixel ?? IAssetGrain.PeaksSamplesPerPixel;
        await using var content = await blobs.GetAsync(key, cancellationToken: http.RequestAborted) ?? throw DomainException.NotFound("The peaks");
        using var buffer = new MemoryStream();
        await content.Stream.CopyToAsync(buffer, http.RequestAborted);
        var peaks = WaveformPeaks.ReadDat(buffer.ToArray());
        if (perPixel > peaks.SamplesPerPixel)
        {
            peaks = peaks.Zoom(perPixel / peaks.SamplesPerPixel);
        }

        peaks = peaks.WithBits(bits ?? (format == "dat" ? 16 : 8));
        http.Response.ContentType = format == "dat" ? "application/octet-stream" : "application/json";
        using var output = new MemoryStream();
        if (format == "dat")
        {
            peaks.WriteDat(output);
        }
        else
        {
            peaks.WriteJson(output);
        }

        return Results.Bytes(output.ToArray(), http.Response.ContentType);
    }
}
