using System.Globalization;
using System.Security.Claims;
using Jacameno.Common;
using Jacameno.Frontend.Assets;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Http;
using Jacameno.Uploads;
using Microsoft.Net.Http.Headers;

namespace Jacameno.Frontend.Uploads;

/// <summary>A resumable upload as the API shows it (<c>GET /api/uploads/{id}</c>, GraphQL <c>upload</c>).</summary>
/// <remarks><see cref="Length"/> is null until an upload opened without one (a recording) declares it.</remarks>
public sealed record UploadResponse(Guid Id, UploadPurpose Purpose, string FileName, Guid? ReleaseId, long? Length, long Offset, UploadStatus Status,
    DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string? Error, UploadResourceResponse? Resource)
{
    public static UploadResponse From(ResumableUpload upload) => new(upload.Id, upload.Purpose, upload.FileName, upload.TargetId,
        upload.LengthDeferred ? null : upload.Length,
        upload.Offset, upload.Status, upload.CreatedAt, upload.ExpiresAt, upload.Error, UploadTargets.ResourceOf(upload));
}

/// <summary>What a finished upload became: <c>asset</c>, <c>project</c> or <c>release</c>, its id, and where the API serves it.</summary>
public sealed record UploadResourceResponse(string Kind, Guid Id, string Href);

/// <summary>
/// Resumable uploads with the tus 1.0 protocol (core, creation, creation-with-upload, termination, expiration,
/// checksum, creation-defer-length) for audio files, DAWproject imports and release artwork (docs/api.md, "Resumable uploads").
/// </summary>
public static class UploadEndpoints
{
    /// <summary>The path of what a finished upload became, on the PATCH (or POST) that brought its last byte.</summary>
    public const string ResourceHeader = "Upload-Resource";

    public static IEndpointRouteBuilder MapUploadEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapMethods("/api/uploads", [HttpMethods.Options], (HttpContext http, UploadTargets targets) =>
            {
                var headers = http.Response.Headers;
                headers[TusHeaders.Resumable] = TusHeaders.Version;
                headers[TusHeaders.Versions] = TusHeaders.Version;
                headers[TusHeaders.Extensions] = TusHeaders.SupportedExtensions;
                headers[TusHeaders.MaxSize] = targets.MaxBytes().ToString(CultureInfo.InvariantCulture);
                headers[TusHeaders.ChecksumAlgorithms] = string.Join(',', TusHeaders.Algorithms.Keys);
                return TypedResults.NoContent();
            })
            .WithTags("Uploads")
            .WithSummary("tus discovery: Tus-Version, Tus-Extension, Tus-Max-Size (bytes, the largest of any purpose) and Tus-Checksum-Algorithm.");

        var uploads = app.MapGroup("/api/uploads").WithTags("Uploads").RequireAuthorization(Policies.Authenticated)
            .AddEndpointFilter(TusResumableAsync);

        uploads.MapPost("/", CreateAsync)
            .WithSummary("tus creation: Upload-Length (bytes), or Upload-Defer-Length: 1 for a file whose size is known later (a recording), and Upload-Metadata (filename; purpose asset|import|artwork; releaseId for artwork). "
                + "201 with Location: /api/uploads/{id} and Upload-Expires. With Content-Type application/offset+octet-stream, the body is the first bytes (creation-with-upload).")
            .Produces(StatusCodes.Status201Created)
            .DisableAntiforgery();

        uploads.MapMethods("/{id:guid}", [HttpMethods.Head], HeadAsync)
            .WithSummary("tus offset: Upload-Offset, Upload-Length, Upload-Metadata and Upload-Expires of one of the caller's uploads (Cache-Control: no-store).");

        uploads.MapPatch("/{id:guid}", PatchAsync)
            .WithSummary("tus append: the body (application/offset+octet-stream) from Upload-Offset, optionally with Upload-Checksum (460 on a mismatch) "
                + "and, for an upload opened with Upload-Defer-Length, Upload-Length once it is known. "
                + "204 with the new Upload-Offset; the PATCH with the last byte also makes the file its asset, project or artwork and names it in Upload-Resource.")
            .Produces(StatusCodes.Status204NoContent)
            .DisableAntiforgery();

        uploads.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
            {
                await Uploads(grains, user).TerminateAsync(id);
                return TypedResults.NoContent();
            })
            .WithSummary("tus termination: deletes the upload and the bytes received so far (or the record of a finished one).");

        uploads.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, IGrainFactory grains) =>
                TypedResults.Ok(UploadResponse.From(await Uploads(grains, user).GetAsync(id))))
            .WithSummary("The upload as JSON: offset, status (receiving, processing, completed, failed), the reason of a failure, and what it became (resource).");
        return app;
    }

    private static IResumableUploadsGrain Uploads(IGrainFactory grains, ClaimsPrincipal user) => grains.GetGrain<IResumableUploadsGrain>(user.UserId());

    /// <summary>Tus-Resumable on every answer (errors included) and required of every tus request; GET is this API's own.</summary>
    private static async ValueTask<object?> TusResumableAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method))
        {
            return await next(context);
        }

        // Set as the answer starts: an error's answer is written after the exception handler cleared the headers.
        http.Response.OnStarting(() =>
        {
            http.Response.Headers[TusHeaders.Resumable] = TusHeaders.Version;
            if (HttpMethods.IsHead(http.Request.Method))
            {
                http.Response.Headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        if (http.Request.Headers[TusHeaders.Resumable] != TusHeaders.Version)
        {
            http.Response.Headers[TusHeaders.Versions] = TusHeaders.Version;
            return Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Precondition failed",
                detail: $"This server speaks tus {TusHeaders.Version}: send {TusHeaders.Resumable}: {TusHeaders.Version}.");
        }

        return await next(context);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, ClaimsPrincipal user, IGrainFactory grains, UploadTargets targets, UploadWriter writer)
    {
        var request = http.Request;
        var deferred = TusHeaders.ReadDeferLength(request);
        var length = deferred ? 0 : TusHeaders.ReadCount(request, TusHeaders.Length);
        var metadata = TusHeaders.ReadMetadata(request);
        var purpose = ApiEnums.Parse<UploadPurpose>(metadata.GetValueOrDefault("purpose"), "purpose") ?? UploadPurpose.Asset;
        Guid? releaseId = metadata.TryGetValue("releaseId", out var target)
            ? Guid.TryParse(target, out var id) ? id : throw DomainException.Invalid("releaseId", "releaseId must be a release id.")
            : null;
        if (deferred)
        {
            length = targets.MaxBytes(purpose);
        }
        else if (length > targets.MaxBytes(purpose))
        {
            return UploadLimits.TooLarge(targets.MaxBytes(purpose), purpose == UploadPurpose.Artwork ? "Artwork images" : "Uploads");
        }

        await targets.CheckAsync(user, purpose, releaseId);
        var upload = await Uploads(grains, user).CreateAsync(new NewResumableUpload(purpose, releaseId,
            AssetEndpoints.CleanName(metadata.GetValueOrDefault("filename") ?? metadata.GetValueOrDefault("name")), length,
            UploadTargets.CountsAgainstQuota(purpose), targets.QuotaFor(user), deferred));
        var location = $"/api/uploads/{upload.Id}";
        if (IsOffsetOctetStream(request))
        {
            // Created either way: a problem with the first bytes still tells the client where to go on.
            http.Response.OnStarting(() =>
            {
                http.Response.Headers.Location = location;
                return Task.CompletedTask;
            });
            var (appended, problem) = await writer.AppendAsync(http, user, upload.Id, 0);
            if (problem is not null)
            {
                return problem;
            }

            upload = appended!;
        }

        WriteProgress(http.Response, upload);
        return TypedResults.Created(location);
    }

    private static async Task<IResult> HeadAsync(Guid id, HttpContext http, ClaimsPrincipal user, IGrainFactory grains)
    {
        var upload = await Uploads(grains, user).GetAsync(id);
        WriteProgress(http.Response, upload);
        if (upload.LengthDeferred)
        {
            http.Response.Headers[TusHeaders.DeferLength] = "1";
        }
        else
        {
            http.Response.Headers[TusHeaders.Length] = upload.Length.ToString(CultureInfo.InvariantCulture);
        }

        http.Response.Headers[TusHeaders.Metadata] = TusHeaders.WriteMetadata(upload);
        return TypedResults.Ok();
    }

    private static async Task<IResult> PatchAsync(Guid id, HttpContext http, ClaimsPrincipal user, UploadWriter writer)
    {
        if (!IsOffsetOctetStream(http.Request))
        {
            return Results.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: $"A PATCH sends its bytes as {TusHeaders.OffsetOctetStream}.");
        }

        var offset = TusHeaders.ReadCount(http.Request, TusHeaders.Offset);
        long? length = http.Request.Headers.ContainsKey(TusHeaders.Length) ? TusHeaders.ReadCount(http.Request, TusHeaders.Length) : null;
        var (upload, problem) = await writer.AppendAsync(http, user, id, offset, length);
        if (problem is not null)
        {
            return problem;
        }

        WriteProgress(http.Response, upload!);
        return TypedResults.NoContent();
    }

    private static void WriteProgress(HttpResponse response, ResumableUpload upload)
    {
        response.Headers[TusHeaders.Offset] = upload.Offset.ToString(CultureInfo.InvariantCulture);
        if (upload.Status == UploadStatus.Receiving)
        {
            response.Headers[TusHeaders.Expires] = TusHeaders.HttpDate(upload.ExpiresAt);
        }

        if (UploadTargets.ResourceOf(upload) is { } resource)
        {
            response.Headers[ResourceHeader] = resource.Href;
        }
    }

    private static bool IsOffsetOctetStream(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var type) && type.MediaType.Equals(TusHeaders.OffsetOctetStream, StringComparison.OrdinalIgnoreCase);
}
