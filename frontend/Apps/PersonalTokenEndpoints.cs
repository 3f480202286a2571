using System.Security.Claims;
using Jacameno.Frontend.Auth;

namespace Jacameno.Frontend.Apps;

public static class PersonalTokenEndpoints
{
    public static IEndpointRouteBuilder MapPersonalTokenEndpoints(this IEndpointRouteBuilder app)
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
        return app;
    }
}
