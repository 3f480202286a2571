using System.Security.Claims;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Http;
using Jacameno.Storage.Catalog;
using Jacameno.Users;

namespace Jacameno.Frontend.Users;

public sealed record UpdateMeRequest(string? DisplayName, string? Bio);

public sealed record SetRoleRequest(string? Role);

public static class UserEndpoints
{
    public static IEndpointRouteBuilder MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        var users = app.MapGroup("/api/users").WithTags("Users");

        users.MapGet("/me", async (ClaimsPrincipal user, IGrainFactory grains) =>
                TypedResults.Ok(MeResponse.From(await grains.GetGrain<IUserGrain>(user.UserId()).GetProfileAsync())))
            .RequireAuthorization(Policies.Authenticated);

        users.MapPatch("/me", async (UpdateMeRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
                TypedResults.Ok(MeResponse.From(await grains.GetGrain<IUserGrain>(user.UserId())
                    .UpdateProfileAsync(new UpdateProfileCommand(request.DisplayName, request.Bio)))))
            .RequireAuthorization(Policies.Authenticated);

        users.MapDelete("/me", async ([Microsoft.AspNetCore.Mvc.FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] DeleteAccountRequest? request, ClaimsPrincipal user, AccountService accounts) =>
                TypedResults.Accepted((string?)null, await accounts.RequestDeletionAsync(user.UserId(), request?.Password)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Deletes the account after the grace period (Jacameno:Accounts:DeletionGracePeriod, 14 days): every session ends now, collaborators of owned projects are mailed; signing in before then keeps the account. The password is required when the account has one.");

        users.MapDelete("/me/logins/{provider}", async (string provider, ClaimsPrincipal user, Auth.External.ExternalAccounts accounts) =>
                TypedResults.Ok(MeResponse.From(await accounts.UnlinkAsync(user.UserId(), provider))))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Unlinks a social provider; refused (409) when it is the account's only way in.");

        users.MapPost("/me/export", async (ClaimsPrincipal user, Jobs.JobService jobs) =>
            {
                var job = await jobs.StartAsync(user.UserId(), user.Role(), Jacameno.Jobs.JobKind.AccountExport, new AccountExportInput(user.UserId()));
                return TypedResults.Accepted($"/api/users/me/export/{job.Id}", Jobs.JobResponse.From(job));
            })
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Starts a job that zips everything the account holds (profile, owned projects as DAWproject with audio, uploads, releases, comments, orders, licenses); follow it at /api/jobs/{id}, then fetch the download link.");

        users.MapGet("/me/export/{jobId:guid}", async (Guid jobId, ClaimsPrincipal user, AccountDataExport exports) =>
                TypedResults.Ok(await exports.DownloadAsync(user.UserId(), jobId)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("The download link (15 minutes) of a finished export; 409 while it is being made.");

        users.MapGet("/{id:guid}", async (Guid id, IGrainFactory grains) =>
            TypedResults.Ok(UserResponse.From(await grains.GetGrain<IUserGrain>(id).GetProfileAsync())));

        users.MapGet("/", async (string? search, int? first, string? after, ICatalog catalog, HttpContext http) =>
            Paging.Page(await catalog.SearchUsersAsync(search, first ?? 20, after, http.RequestAborted), http)).WithSummary("Searches users by display name (every word as a prefix); cursor pagination.");

        app.MapPut("/api/admin/users/{id:guid}/role", async (Guid id, SetRoleRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
            {
                var role = ApiEnums.Parse<UserRole>(request.Role ?? "", "role")!.Value;
                return TypedResults.Ok(MeResponse.From(await grains.GetGrain<IUserGrain>(id).SetRoleAsync(role, user.Role())));
            })
            .WithTags("Admin")
            .RequireAuthorization(Policies.Admin);

        return app;
    }
}
