using System.Security.Claims;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Http;

namespace Jacameno.Frontend.Projects;

public static class ProjectEndpoints
{
    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/projects").WithTags("Projects").RequireAuthorization(Policies.Authenticated);

        projects.MapPost("/", async (CreateProjectRequest request, ClaimsPrincipal user, ProjectService service) =>
            {
                var project = await service.CreateAsync(user.UserId(), request);
                return TypedResults.Created($"/api/projects/{project.Id}", project);
            })
            .WithSummary("Creates a project owned by the caller.");

        projects.MapGet("/", async (string? scope, int? first, string? after, ClaimsPrincipal user, ProjectService service, HttpContext http) =>
                Paging.Page(await service.ListAsync(user.UserId(), scope, first ?? 20, after), http))
            .WithSummary("The caller's projects by name: scope=owned (default) or shared (with them).");

        projects.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, ProjectService service) =>
                TypedResults.Ok(await service.GetAsync(user.UserId(), id)))
            .WithSummary("The whole project at its current version; 404 for anyone who is not a collaborator.");

        projects.MapPatch("/{id:guid}", async (Guid id, UpdateProjectRequest request, ClaimsPrincipal user, ProjectService service) =>
                TypedResults.Ok(await service.UpdateAsync(user.UserId(), id, request)))
            .WithSummary("Changes name, description, tempo, time signature or key (as one project.set op).");

        projects.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, ProjectService service) =>
            {
                await service.DeleteAsync(user.UserId(), id);
                return TypedResults.NoContent();
            })
            .WithSummary("Deletes the project and its history (owner only).");

        projects.MapPost("/{id:guid}/ops", async (Guid id, SubmitOpsRequest request, ClaimsPrincipal user, ProjectService service) =>
                TypedResults.Ok(await service.SubmitAsync(user.UserId(), id, request.Ops)))
            .WithSummary("Applies a batch of ops in order; one ack per op (applied, rejected with a reason, or duplicate).");

        projects.MapGet("/{id:guid}/ops", async (Guid id, long? since, int? max, ClaimsPrincipal user, ProjectService service) =>
                TypedResults.Ok(await service.OpsSinceAsync(user.UserId(), id, since ?? 0, max ?? 500)))
            .WithSummary("Applied ops after a version, oldest first (reconnect, batch sync, history).");

        projects.MapPut("/{id:guid}/collaborators/{userId:guid}", async (Guid id, Guid userId, SetCollaboratorRequest request, ClaimsPrincipal user, ProjectService service) =>
                TypedResults.Ok(await service.SetCollaboratorAsync(user.UserId(), id, userId, request.Role)))
            .WithSummary("Adds a collaborator or changes their role: editor, commenter or viewer (owner only).");

        projects.MapDelete("/{id:guid}/collaborators/{userId:guid}", async (Guid id, Guid userId, ClaimsPrincipal user, ProjectService service) =>
            {
                await service.RemoveCollaboratorAsync(user.UserId(), id, userId);
                return TypedResults.NoContent();
            })
            .WithSummary("Removes a collaborator (owner), or leaves the project (yourself); their live session ends at once.");

        projects.MapPost("/{id:guid}/invitations", async (Guid id, InvitationRequest request, ClaimsPrincipal user, ProjectInvitations invitations) =>
                TypedResults.Accepted($"/api/projects/{id}/invitations", await invitations.InviteAsync(user.UserId(), id, request)))
            .WithSummary("Invites an email address (owner only): a link is mailed; whoever signs in with that address, verified, joins with the role. The answer (202) is the same whether or not the address has an account.");
        projects.MapGet("/{id:guid}/invitations", async (Guid id, ClaimsPrincipal user, ProjectInvitations invitations) =>
                TypedResults.Ok(await invitations.ListAsync(user.UserId(), id)))
            .WithSummary("The invitations not yet accepted (owner only).");
        projects.MapDelete("/{id:guid}/invitations/{email}", async (Guid id, string email, ClaimsPrincipal user, ProjectInvitations invitations) =>
            {
                await invitations.WithdrawAsync(user.UserId(), id, email);
                return TypedResults.NoContent();
            })
            .WithSummary("Withdraws an invitation (owner only).");
        app.MapPost("/api/invitations/accept", async (AcceptInvitationRequest request, ClaimsPrincipal user, ProjectInvitations invitations) =>
                TypedResults.Ok(await invitations.AcceptAsync(user.UserId(), request.Token)))
            .RequireAuthorization(Policies.Authenticated)
            .WithTags("Projects")
            .WithSummary("Joins the project of an invitation link; the signed-in account's verified address must be the invited one (403 otherwise, with why).");

        projects.MapPost("/{id:guid}/snapshots", async (Guid id, CreateSnapshotRequest request, ClaimsPrincipal user, ProjectService service) =>
            {
                var snapshot = await service.CreateSnapshotAsync(user.UserId(), id, request);
                return TypedResults.Created($"/api/projects/{id}/versions/{snapshot.Version}", snapshot);
            })
            .WithSummary("Names a version (the current one unless version is given).");

        projects.MapGet("/{id:guid}/snapshots", async (Guid id, ClaimsPrincipal user, ProjectService service) =>
                TypedResults.Ok(await service.SnapshotsAsync(user.UserId(), id)))
            .WithSummary("The named versions, newest first.");

        projects.MapGet("/{id:guid}/versions/{version:long}", async (Guid id, long version, ClaimsPrincipal user, ProjectService service) =>
                TypedResults.Ok(await service.VersionAsync(user.UserId(), id, version)))
            .WithSummary("The project as it was at a version.");

        projects.MapPost("/{id:guid}/versions/{version:long}/restore", async (Guid id, long version, ClaimsPrincipal user, ProjectService service) =>
                TypedResults.Ok(await service.RestoreAsync(user.UserId(), id, version)))
            .WithSummary("Puts tracks, mixer and settings back as they were, as one new op everyone in the session receives.");

        projects.MapPost("/{id:guid}/fork", async (Guid id, ForkRequest request, ClaimsPrincipal user, ProjectService service) =>
            {
                var fork = await service.ForkAsync(user.UserId(), id, request);
                return TypedResults.Created($"/api/projects/{fork.Id}", fork);
            })
            .WithSummary("A new project owned by the caller from a version of this one (forkedFrom credits the source).");

        return app;
    }
}
