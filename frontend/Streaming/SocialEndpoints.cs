using System.Security.Claims;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Http;

namespace Jacameno.Frontend.Streaming;

public static class SocialEndpoints
{
    public static IEndpointRouteBuilder MapSocialEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users/{id:guid}").WithTags("Social");
        users.MapPut("/follow", async (Guid id, ClaimsPrincipal user, SocialService service) => TypedResults.Ok(await service.FollowAsync(user.UserId(), id, true)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Follows the user; idempotent.");
        users.MapDelete("/follow", async (Guid id, ClaimsPrincipal user, SocialService service) => TypedResults.Ok(await service.FollowAsync(user.UserId(), id, false)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Unfollows the user; idempotent.");
        users.MapGet("/follows", async (Guid id, ClaimsPrincipal user, SocialService service) =>
                TypedResults.Ok(await service.CountsAsync(id, user.OptionalUserId())))
            .WithSummary("How many follow the user and whom they follow, and whether the caller follows them.");
        users.MapGet("/followers", async (Guid id, int? first, string? after, SocialService service, HttpContext http) =>
                Paging.Page(await service.FollowsAsync(id, followers: true, first ?? 20, after), http))
            .WithSummary("Who follows the user, most recent first.");
        users.MapGet("/following", async (Guid id, int? first, string? after, SocialService service, HttpContext http) =>
                Paging.Page(await service.FollowsAsync(id, followers: false, first ?? 20, after), http))
            .WithSummary("Whom the user follows, most recent first.");
        users.MapGet("/likes", async (Guid id, int? first, string? after, SocialService service, HttpContext http) =>
                Paging.Page(await service.LikedAsync(id, first ?? 20, after), http))
            .WithSummary("Public releases the user liked, most recent like first.");
        users.MapGet("/playlists", async (Guid id, int? first, string? after, ClaimsPrincipal user, SocialService service, HttpContext http) =>
                Paging.Page(await service.PlaylistsAsync(id, user.OptionalUserId(), first ?? 20, after), http))
            .WithSummary("The user's public playlists by title; to the user themself, the private ones too.");

        app.MapGet("/api/releases/marks", async (string? ids, ClaimsPrincipal user, SocialService service) => TypedResults.Ok(await service.MarksAsync(user.UserId(), ids)))
            .WithTags("Social")
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Of ids (comma-separated release ids, at most 100), those the caller liked and those they reposted: {liked, reposted}.");

        app.MapGet("/api/feed", async (int? first, string? after, ClaimsPrincipal user, SocialService service, HttpContext http) =>
                Paging.Page(await service.FeedAsync(user.UserId(), first ?? 20, after), http))
            .WithTags("Social")
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Releases and reposts of the people the caller follows, newest first.");

        var notifications = app.MapGroup("/api/notifications").WithTags("Social").RequireAuthorization(Policies.Authenticated);
        notifications.MapGet("/", async (int? first, string? after, ClaimsPrincipal user, SocialService service, HttpContext http) =>
            {
                var (page, unread) = await service.NotificationsAsync(user.UserId(), first ?? 20, after);
                return TypedResults.Ok(new NotificationsResponse(page.Items, unread, page.NextCursor,
                    page.NextCursor is null ? null : Paging.NextLink(http, page.NextCursor)));
            })
            .WithSummary("New followers, likes, comments, reposts and releases of people followed, newest first; live as Notification on the hub.");
        notifications.MapPost("/read", async (ClaimsPrincipal user, SocialService service) =>
            {
                await service.MarkNotificationsReadAsync(user.UserId());
                return TypedResults.NoContent();
            })
            .WithSummary("Marks every notification read.");

        var playlists = app.MapGroup("/api/playlists").WithTags("Playlists");
        playlists.MapPost("/", async (PlaylistRequest request, ClaimsPrincipal user, SocialService service) =>
            {
                var playlist = await service.CreatePlaylistAsync(user.UserId(), request);
                return TypedResults.Created($"/api/playlists/{playlist.Id}", playlist);
            })
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Creates a playlist: title, description, isPublic (default true).");
        playlists.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, SocialService service) =>
                TypedResults.Ok(await service.GetPlaylistAsync(id, user.OptionalUserId())))
            .WithSummary("The playlist with the releases in it the caller may see, in order.");
        playlists.MapPatch("/{id:guid}", async (Guid id, PlaylistRequest request, ClaimsPrincipal user, SocialService service) =>
                TypedResults.Ok(await service.UpdatePlaylistAsync(user.UserId(), id, request)))
            .RequireAuthorization(Policies.Authenticated);
        playlists.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, SocialService service) =>
            {
                await service.DeletePlaylistAsync(user.UserId(), id);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.Authenticated);
        playlists.MapPost("/{id:guid}/items", async (Guid id, PlaylistItemRequest request, ClaimsPrincipal user, SocialService service) =>
                TypedResults.Ok(await service.AddToPlaylistAsync(user.UserId(), id, request.ReleaseId, request.Position)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Adds a release at position (the end when absent).");
        playlists.MapPut("/{id:guid}/items/{releaseId:guid}", async (Guid id, Guid releaseId, MoveRequest request, ClaimsPrincipal user, SocialService service) =>
                TypedResults.Ok(await service.MoveInPlaylistAsync(user.UserId(), id, releaseId, request.Position)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Moves a release to position.");
        playlists.MapDelete("/{id:guid}/items/{releaseId:guid}", async (Guid id, Guid releaseId, ClaimsPrincipal user, SocialService service) =>
                TypedResults.Ok(await service.RemoveFromPlaylistAsync(user.UserId(), id, releaseId)))
            .RequireAuthorization(Policies.Authenticated);
        return app;
    }
}
