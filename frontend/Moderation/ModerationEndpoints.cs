using System.Security.Claims;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Http;

namespace Jacameno.Frontend.Moderation;

public static class ModerationEndpoints
{
    public static IEndpointRouteBuilder MapModerationEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/reports", async (ReportRequest request, ClaimsPrincipal user, ModerationService service) =>
            {
                var report = await service.ReportAsync(user.UserId(), request);
                return TypedResults.Created((string?)null, report);
            })
            .WithTags("Moderation")
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Reports a release, comment, listing, playlist or user the caller can see (reason: spam, harassment, hate, sexual, violence, copyright, impersonation, other). 20 an hour; reporting the same thing again returns the open report.");

        var takedowns = app.MapGroup("/api/takedowns").WithTags("Moderation").RequireAuthorization(Policies.Authenticated);
        takedowns.MapPost("/", async (TakedownRequest request, ClaimsPrincipal user, ModerationService service) =>
                TypedResults.Created((string?)null, await service.TakedownAsync(user.UserId(), request)))
            .WithSummary("A copyright notice (claimantName, work, statement) against a release or listing: it is hidden at once pending review, and its owner is mailed.");
        takedowns.MapPost("/{id:guid}/counter-notice", async (Guid id, CounterNoticeRequest request, ClaimsPrincipal user, ModerationService service) =>
                TypedResults.Ok(await service.CounterNoticeAsync(user.UserId(), id, request.Statement)))
            .WithSummary("The content owner's counter-notice to a copyright notice; a moderator then restores or removes the content.");

        var users = app.MapGroup("/api/users/{id:guid}/block").WithTags("Users").RequireAuthorization(Policies.Authenticated);
        users.MapPut("/", async (Guid id, ClaimsPrincipal user, ModerationService service) => TypedResults.Ok(await service.BlockAsync(user.UserId(), id, true)))
            .WithSummary("Blocks a user: they cannot comment on your releases, follow you (an existing follow ends) or join your projects.");
        users.MapDelete("/", async (Guid id, ClaimsPrincipal user, ModerationService service) => TypedResults.Ok(await service.BlockAsync(user.UserId(), id, false)))
            .WithSummary("Unblocks a user.");

        var admin = app.MapGroup("/api/admin/moderation").WithTags("Admin").RequireAuthorization(Policies.Admin);
        admin.MapGet("/reports", async (int? first, string? after, ModerationService service, HttpContext http) =>
                Paging.Page(await service.QueueAsync(first ?? 20, after), http))
            .WithSummary("The moderation queue: open reports, oldest first.");
        admin.MapPost("/actions", async (ModerateRequest request, ClaimsPrincipal user, ModerationService service) =>
                TypedResults.Ok(await service.ModerateAsync(user.UserId(), request)))
            .WithSummary("Acts on a target: release or listing hide/restore/remove, comment remove, user warn/suspend (until)/ban/reinstate. A reason is required; the action is audited and closes the target's reports.");
        admin.MapGet("/actions", async (string? targetType, Guid? targetId, int? first, string? after, ModerationService service, HttpContext http) =>
                Paging.Page(await service.LogAsync(targetType, targetId, first ?? 20, after), http))
            .WithSummary("The audit log of moderation: who did what to what, when and why; newest first, of one target when given.");
        return app;
    }
}
