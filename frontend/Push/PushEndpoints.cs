using System.Security.Claims;
using Jacameno.Frontend.Auth;

namespace Jacameno.Frontend.Push;

public static class PushEndpoints
{
    public static IEndpointRouteBuilder MapPushEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/devices/config", (PushService service) => TypedResults.Ok(service.Config()))
            .WithTags("Push").WithSummary("The VAPID public key browsers subscribe with (null when Web Push is off) and the device kinds this server delivers to.");

        var devices = app.MapGroup("/api/devices").WithTags("Push").RequireAuthorization(Policies.Authenticated);
        devices.MapPost("/", async (RegisterDeviceRequest request, ClaimsPrincipal user, PushService service) =>
            {
                var device = await service.RegisterAsync(user, request);
                return TypedResults.Created($"/api/devices/{device.Id}", device);
            })
            .WithSummary("Registers a device for pushes: webPush with the browser's PushSubscription, or fcm/apns with a device token. A subscription or token registered before moves to the caller.");
        devices.MapGet("/", async (ClaimsPrincipal user, PushService service) => TypedResults.Ok(await service.ListAsync(user.UserId())))
            .WithSummary("The caller's devices.");
        devices.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, PushService service) =>
            {
                await service.RemoveAsync(user.UserId(), id);
                return TypedResults.NoContent();
            })
            .WithSummary("Stops pushes to a device; what was waiting for it is dropped.");

        var preferences = app.MapGroup("/api/users/me/push-preferences").WithTags("Push").RequireAuthorization(Policies.Authenticated);
        preferences.MapGet("/", async (ClaimsPrincipal user, PushService service) => TypedResults.Ok(await service.PreferencesAsync(user.UserId())))
            .WithSummary("Which topics push to the caller's devices; likes and reposts are off until turned on, the rest on.");
        preferences.MapPut("/", async (PushPreferencesRequest request, ClaimsPrincipal user, PushService service) =>
                TypedResults.Ok(await service.SetPreferencesAsync(user.UserId(), request.Topics)))
            .WithSummary("Turns topics on or off ({ topics: { like: true, follow: false } }); topics left out stay as they are.");
        return app;
    }
}
