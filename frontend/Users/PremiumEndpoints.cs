using System.Security.Claims;
using Jacameno.Frontend.Auth;

namespace Jacameno.Frontend.Users;

public static class PremiumEndpoints
{
    public static IEndpointRouteBuilder MapPremiumEndpoints(this IEndpointRouteBuilder app)
    {
        var premium = app.MapGroup("/api/premium").WithTags("Premium");
        premium.MapGet("/", async (ClaimsPrincipal user, PremiumService service) => TypedResults.Ok(await service.OverviewAsync(user.OptionalUserId())))
            .WithSummary("What Premium unlocks, its plans and how it is sold here; with the caller's own Premium when signed in.");
        premium.MapPost("/checkout", async (PremiumCheckoutRequest request, ClaimsPrincipal user, PremiumService service) =>
                TypedResults.Ok(await service.CheckoutAsync(user.UserId(), request.Plan)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Starts a Stripe Checkout for the monthly or yearly plan; send the browser to the returned url. Premium starts when Stripe confirms.");
        premium.MapPost("/portal", async (ClaimsPrincipal user, PremiumService service) => TypedResults.Ok(await service.PortalAsync(user.UserId())))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Stripe's customer portal for the caller's subscription: change plan or card, cancel.");

        app.MapPut("/api/admin/users/{id:guid}/premium", async (Guid id, PremiumGrantRequest request, PremiumService service) =>
                TypedResults.Ok(await service.GrantAsync(id, request.Until)))
            .WithTags("Admin")
            .RequireAuthorization(Policies.Admin)
            .WithSummary("Grants Premium until a date (the manual provider), or ends it with until = null.");
        return app;
    }
}
