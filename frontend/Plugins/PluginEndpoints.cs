using System.Security.Claims;
using Jacameno.Frontend.Auth;

namespace Jacameno.Frontend.Plugins;

public static class PluginEndpoints
{
    public static IEndpointRouteBuilder MapPluginEndpoints(this IEndpointRouteBuilder app)
    {
        var plugins = app.MapGroup("/api/plugins").WithTags("Plugins");
        plugins.MapGet("/", async (string? q, string? category, string? kind, PluginService service) => TypedResults.Ok(await service.ListAsync(q, category, kind)))
            .WithSummary("Installed plugins (VST2 and LV2), by name; q searches name, vendor and id; kind is effect or instrument.");
        plugins.MapGet("/describe", async (string? id, PluginService service) => TypedResults.Ok(await service.GetAsync(id)))
            .WithSummary("One plugin by id (vst2:<path> or lv2:<uri>): its parameters with ranges, units and defaults, and its factory presets.");
        plugins.MapPost("/state", async (PluginStateRequest request, ClaimsPrincipal user, PluginService service, CancellationToken cancellationToken) =>
                TypedResults.Ok(await service.CaptureAsync(user.UserId(), request, cancellationToken)))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Runs the plugin with a saved state, a factory preset and parameters (in that order) and returns its state and parameters, to set on an effect with effect.state and effect.set.");

        var presets = plugins.MapGroup("/presets").RequireAuthorization(Policies.Authenticated);
        presets.MapGet("/", async (string? pluginId, ClaimsPrincipal user, PluginService service) => TypedResults.Ok(await service.PresetsAsync(user.UserId(), pluginId)))
            .WithSummary("The caller's own plugin presets, newest first; pluginId narrows them to one plugin.");
        presets.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, PluginService service) => TypedResults.Ok(await service.PresetAsync(user.UserId(), id)))
            .WithSummary("One of the caller's presets.");
        presets.MapPost("/", async (PluginPresetRequest request, ClaimsPrincipal user, PluginService service, CancellationToken cancellationToken) =>
                TypedResults.Ok(await service.SavePresetAsync(user.UserId(), request, cancellationToken)))
            .WithSummary("Saves a preset: the plugin's state after the given state, factory preset and parameters.");
        presets.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, PluginService service) =>
            {
                await service.DeletePresetAsync(user.UserId(), id);
                return TypedResults.NoContent();
            })
            .WithSummary("Deletes one of the caller's presets.");
        return app;
    }
}
