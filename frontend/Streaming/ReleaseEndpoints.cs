using Jacameno.Insights;
using System.Security.Claims;
using System.Security.Cryptography;
using Jacameno.Common;
using Jacameno.Frontend.Assets;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Http;
using Jacameno.Frontend.Sharing;
using Jacameno.Storage.Blobs;
using Jacameno.Streaming;

namespace Jacameno.Frontend.Streaming;

public static class ReleaseEndpoints
{
    public static IEndpointRouteBuilder MapReleaseEndpoints(this IEndpointRouteBuilder app)
    {
        // Reading is open to everyone (what they may see of it); changing needs a signed-in user.
        var releases = app.MapGroup("/api/releases").WithTags("Releases");

        releases.MapPost("/", async (PublishRequest request, ClaimsPrincipal user, ReleaseService service) =>
            {
                var published = await service.PublishAsync(user.UserId(), user.Role(), request.Details, request.Source);
                return TypedResults.Accepted($"/api/releases/{published.Release.Id}", published);
            })
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Publishes a release from an asset (assetId) or a project (projectId, projectVersion); a job makes its renditions (status processing until ready).");

        releases.MapGet("/", async (string? q, string? genre, string? tag, double? bpmMin, double? bpmMax, string? key, string? sort, int? first, string? after,
                ReleaseService service, HttpContext http) =>
                Paging.Page(await service.SearchAsync(q, genre, tag, bpmMin, bpmMax, key, sort, null, first ?? 20, after), http))
            .WithSummary("Searches public releases: q (title, artist, tags, description), genre, tag, bpmMin, bpmMax, key, sort=relevance|new|trending|top; cursor pagination.");

        releases.MapGet("/{id:guid}", async (Guid id, string? secret, ClaimsPrincipal user, ReleaseService service) =>
                TypedResults.Ok(await service.GetAsync(id, Viewer(user, secret))))
            .WithSummary("The release, if the caller may see it (unlisted: with ?secret=).");

        releases.MapPatch("/{id:guid}", async (Guid id, PublishRequest request, ClaimsPrincipal user, ReleaseService service) =>
                request.AssetId is not null || request.ProjectId is not null
                    ? throw DomainException.Invalid("assetId", "Replace the audio with PUT /api/releases/{id}/audio.")
                    : TypedResults.Ok(await service.UpdateAsync(user.UserId(), user.Role(), id, request.Details)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Edits the release's details; absent fields stay as they are, an empty text clears one.");

        releases.MapPut("/{id:guid}/audio", async (Guid id, AudioSource source, ClaimsPrincipal user, ReleaseService service) =>
                TypedResults.Accepted($"/api/releases/{id}", await service.ReplaceAudioAsync(user.UserId(), user.Role(), id, source)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Replaces the audio with a new version (assetId or projectId); plays, likes and comments stay; the old version plays until the new one is ready.");

        releases.MapPost("/{id:guid}/unpublish", async (Guid id, ClaimsPrincipal user, ReleaseService service) =>
                TypedResults.Ok(await service.SetPublishedAsync(user.UserId(), id, false)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Takes the release down: only its owner sees it, everything is kept.");

        releases.MapPost("/{id:guid}/publish", async (Guid id, ClaimsPrincipal user, ReleaseService service) =>
                TypedResults.Ok(await service.SetPublishedAsync(user.UserId(), id, true)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Puts an unpublished release back up.");

        releases.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, ReleaseService service) =>
            {
                await service.DeleteAsync(user.UserId(), id);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Deletes the release with its renditions, artwork, comments, likes and reposts.");

        // The three routes an embedded player calls, from any site's frame (Sharing/EmbedPage.cs).
        releases.MapGet("/{id:guid}/stream", StreamAsync)
            .RequireCors(SharingEndpoints.EmbedCors)
            .WithSummary("Signed, short-lived URLs per rendition (opus, aac, mp3; original for the owner), which serve Range requests; ?format= for one, &redirect=true to be sent there.");

        releases.MapGet("/{id:guid}/peaks", async (Guid id, string? secret, string? format, int? samplesPerPixel, int? bits, ClaimsPrincipal user,
                HttpContext http, IGrainFactory grains, IBlobStore blobs) =>
            {
                AssetEndpoints.CheckPeaksQuery(format, samplesPerPixel, bits);
                var key = await grains.GetGrain<IReleaseGrain>(id).GetPeaksKeyAsync(Viewer(user, secret));
                return await AssetEndpoints.PeaksFromBlobAsync(key, format, samplesPerPixel, bits, http, blobs);
            })
            .RequireCors(SharingEndpoints.EmbedCors)
            .WithSummary("The player's waveform peaks of the streamed audio (BBC audiowaveform JSON or .dat).");

        releases.MapPut("/{id:guid}/artwork", async (Guid id, HttpContext http, ClaimsPrincipal user, ReleaseService service) =>
            {
                if (UploadLimits.Apply(http, IReleaseArtwork.MaxBytes, "Artwork images") is { } tooLarge)
                {
                    return tooLarge;
                }

                var (body, _) = await AssetEndpoints.SourceAsync(http, null);
                return await UploadLimits.ReadAsync(body, IReleaseArtwork.MaxBytes,
                    async limited => TypedResults.Ok(await service.SetArtworkAsync(user.UserId(), id, limited, http.RequestAborted)), "Artwork images");
            })
            .RequireAuthorization(Policies.Authenticated)
            .DisableAntiforgery()
            .WithSummary("Sets the artwork from an image (raw body or multipart; JPEG, PNG, WebP, GIF, BMP; 200-10000 px, at most 10 MB), cropped square to 300 and 1000 px.");

        releases.MapGet("/{id:guid}/artwork", async (Guid id, string? secret, int? size, ClaimsPrincipal user, HttpContext http, IGrainFactory grains, IBlobStore blobs) =>
            {
                var key = await grains.GetGrain<IReleaseGrain>(id).GetArtworkKeyAsync(Viewer(user, secret), size ?? 1000);
                var image = await blobs.GetAsync(key, cancellationToken: http.RequestAborted) ?? throw DomainException.NotFound("The artwork");
                http.Response.Headers.CacheControl = "private, max-age=300";
                return Results.Stream(image.Stream, "image/jpeg");
            })
            .WithSummary("The artwork as JPEG, size=300|1000.");

        releases.MapPut("/{id:guid}/like", async (Guid id, string? secret, ClaimsPrincipal user, ReleaseService service) =>
                TypedResults.Ok(await service.LikeAsync(id, Viewer(user, secret), true)))
            .RequireAuthorization(Policies.Authenticated);
        releases.MapDelete("/{id:guid}/like", async (Guid id, string? secret, ClaimsPrincipal user, ReleaseService service) =>
                TypedResults.Ok(await service.LikeAsync(id, Viewer(user, secret), false)))
            .RequireAuthorization(Policies.Authenticated);
        releases.MapPut("/{id:guid}/repost", async (Guid id, ClaimsPrincipal user, ReleaseService service) =>
                TypedResults.Ok(await service.RepostAsync(id, Viewer(user, null), true)))
            .RequireAuthorization(Policies.Authenticated);
        releases.MapDelete("/{id:guid}/repost", async (Guid id, ClaimsPrincipal user, ReleaseService service) =>
                TypedResults.Ok(await service.RepostAsync(id, Viewer(user, null), false)))
            .RequireAuthorization(Policies.Authenticated);

        releases.MapPost("/{id:guid}/plays", async (Guid id, string? secret, PlayRequest? request, ClaimsPrincipal user, HttpContext http, ReleaseService service, Insights.InsightsService insights) =>
                TypedResults.Ok(await service.PlayAsync(id, Viewer(user, secret), ListenerKey(user, http), request?.PlayId,
                    PlaySources.Normalize(request?.Source), insights.CountryOf(http))))
            .RequireCors(SharingEndpoints.EmbedCors)
            .WithSummary("Counts plays: start one (no playId), then send its playId after 30 s of listening (or the whole release); one listener counts at most once per 30 s and 20 times a day. source (search, feed, embed, playlist, profile, charts; else direct) goes to the artist's insights.");

        releases.MapGet("/{id:guid}/comments", async (Guid id, string? secret, int? first, string? after, ClaimsPrincipal user, ReleaseService service, HttpContext http) =>
                Paging.Page(await service.CommentsAsync(id, Viewer(user, secret), first ?? 50, after), http))
            .WithSummary("Comments by time position, each reply after what it answers; text is plain text, never markup.");

        releases.MapPost("/{id:guid}/comments", async (Guid id, string? secret, CommentRequest request, ClaimsPrincipal user, ReleaseService service) =>
            {
                var comment = await service.CommentAsync(id, Viewer(user, secret), request.Text, request.AtSeconds, request.ParentId);
                return TypedResults.Created($"/api/releases/{id}/comments/{comment.Id}", comment);
            })
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Comments at a time position (atSeconds), or replies to a comment (parentId).");

        releases.MapDelete("/{id:guid}/comments/{commentId:guid}", async (Guid id, Guid commentId, ClaimsPrincipal user, ReleaseService service) =>
            {
                await service.DeleteCommentAsync(user.UserId(), id, commentId);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Deletes a comment and its replies (its author or the release's owner).");

        releases.MapGet("/{id:guid}/related", async (Guid id, string? secret, int? first, ClaimsPrincipal user, ReleaseService service) =>
                TypedResults.Ok(await service.RelatedAsync(id, Viewer(user, secret), first ?? 10)))
            .WithSummary("Public releases like this one: shared tags and genre, close tempo, the same key, liked by the same listeners.");

        app.MapGet("/api/charts", async (string? genre, int? first, string? after, ReleaseService service, HttpContext http) =>
                Paging.Page(await service.SearchAsync(null, genre, null, null, null, null, "trending", null, first ?? 50, after), http))
            .WithTags("Releases")
            .WithSummary("Trending releases (plays, likes and reposts, halving every two days), overall or in one genre.");

        app.MapGet("/api/genres", async (int? first, ReleaseService service) => TypedResults.Ok(await service.GenresAsync(first ?? 50)))
            .WithTags("Releases")
            .WithSummary("Genres of public releases, with how many each has, most first.");

        app.MapGet("/api/users/{id:guid}/releases", async (Guid id, int? first, string? after, ClaimsPrincipal user, ReleaseService service, HttpContext http) =>
                Paging.Page(await service.UserReleasesAsync(id, user.OptionalUserId(), first ?? 20, after), http))
            .WithTags("Releases")
            .WithSummary("The user's public releases, newest first; to the user themself, all of them.");
        return app;
    }

    internal static ReleaseViewer Viewer(ClaimsPrincipal user, string? secret) =>
        new(user.OptionalUserId(), secret, user.OptionalUserId() is not null && user.Role() >= Jacameno.Users.UserRole.Premium);

    /// <summary>
    /// Who is listening: the user, or for anonymous listeners a hash of their address alone (an IPv6 client by its
    /// /64, which a home or phone usually gets whole). Nothing the client sends counts (a user agent, a header, a
    /// query string), or every request could be a new listener; people behind one address share one budget.
    /// </summary>
    private static string ListenerKey(ClaimsPrincipal user, HttpContext http)
    {
        if (user.OptionalUserId() is { } id)
        {
            return $"u:{id:N}";
        }

        var address = http.Connection.RemoteIpAddress is { } ip && ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : http.Connection.RemoteIpAddress;
        var bytes = address?.GetAddressBytes() ?? [];
        var network = bytes.Length == 16 ? bytes[..8] : bytes;
        return "a:" + Convert.ToHexString(SHA256.HashData(network))[..24];
    }

    private static async Task<IResult> StreamAsync(Guid id, string? secret, string? format, bool? redirect, ClaimsPrincipal user, ReleaseService service)
    {
        RenditionFormat? wanted = format is null ? null
            : Enum.TryParse<RenditionFormat>(format, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !char.IsDigit(format[0]) ? parsed
            : throw DomainException.Invalid("format", "format must be opus, aac, mp3 or original.");
        if (redirect == true && wanted is null)
        {
            throw DomainException.Invalid("format", "redirect needs a format.");
        }

        var streams = await service.StreamAsync(id, Viewer(user, secret), wanted);
        return redirect == true ? TypedResults.Redirect(streams[0].Url) : TypedResults.Ok(streams);
    }
}
