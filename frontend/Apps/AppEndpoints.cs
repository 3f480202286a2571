using System.Security.Claims;
using Jacameno.Frontend.Auth;

namespace Jacameno.Frontend.Apps;

public static class AppEndpoints
{
    public static IEndpointRouteBuilder MapAppEndpoints(this IEndpointRouteBuilder app)
    {
        var tokens = app.MapGroup("/api/users/me/tokens").WithTags("Apps").RequireAuthorization(Policies.Authenticated);

        tokens.MapGet("/", async (ClaimsPrincipal user, PersonalTokenService service) => TypedResults.Ok(await service.ListAsync(user.UserId())))
            .WithSummary("The caller's personal access tokens (never their secrets).");

        tokens.MapPost("/", async (CreateTokenRequest request, ClaimsPrincipal user, PersonalTokenService service) =>
            {
                var created = await service.CreateAsync(user.UserId(), request);
                return TypedResults.Created($"/api/users/me/tokens/{created.Token.Id}", created);
            })
            .WithSummary("Makes a personal access token with scopes and a lifetime (1-366 days, 90 by default); the secret is in this answer only. Send it as 'Authorization: Bearer jcm_pat_…'.");

        tokens.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, PersonalTokenService service) =>
            {
                await service.RevokeAsync(user.UserId(), id);
                return TypedResults.NoContent();
            })
            .WithSummary("Revokes a token at once, on every frontend.");

        app.MapGet("/api/apps/scopes", () => TypedResults.Ok(Jacameno.Apps.ApiScopes.All))
            .WithTags("Apps").WithSummary("Every scope a token may be given, with what it allows.");

        var apps = app.MapGroup("/api/apps").WithTags("Apps").RequireAuthorization(Policies.Authenticated);
        apps.MapPost("/", async (RegisterAppRequest request, ClaimsPrincipal user, AppService service) =>
            {
                var registered = await service.RegisterAsync(user.UserId(), request);
                return TypedResults.Created($"/api/apps/{registered.App.ClientId}", registered);
            })
            .WithSummary("Registers an OAuth app: name, exact redirect URIs, confidential (gets a client secret, shown once) or public (PKCE only).");
        apps.MapGet("/", async (ClaimsPrincipal user, AppService service) => TypedResults.Ok(await service.MineAsync(user.UserId())))
            .WithSummary("The apps the caller registered.");
        apps.MapDelete("/{clientId:guid}", async (Guid clientId, ClaimsPrincipal user, AppService service) =>
            {
                await service.DeleteAsync(user.UserId(), clientId);
                return TypedResults.NoContent();
            })
            .WithSummary("Deletes an app the caller registered: no new sign-ins or refreshes; its access tokens lapse within their lifetime.");
        apps.MapGet("/{clientId:guid}/consent", async (Guid clientId, string? scope, AppService service) => TypedResults.Ok(await service.ConsentAsync(clientId, scope)))
            .WithSummary("What the consent screen shows: the app, its developer and the scopes it asks for.");

        var granted = app.MapGroup("/api/users/me/apps").WithTags("Apps").RequireAuthorization(Policies.Authenticated);
        granted.MapGet("/", async (ClaimsPrincipal user, AppService service) => TypedResults.Ok(await service.GrantsAsync(user.UserId())))
            .WithSummary("The apps the caller allowed to act for them, with their scopes.");
        granted.MapDelete("/{clientId:guid}", async (Guid clientId, ClaimsPrincipal user, AppService service) =>
            {
                await service.RevokeGrantAsync(user.UserId(), clientId);
                return TypedResults.NoContent();
            })
            .WithSummary("Revokes an app's access: its access and refresh tokens stop working at once.");
        return app;
    }
}
