using System.Security.Claims;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Blobs;
using Jacameno.Frontend.Http;
using Jacameno.Storage.Blobs;

namespace Jacameno.Frontend.Loops;

public static class LoopEndpoints
{
    public static IEndpointRouteBuilder MapLoopEndpoints(this IEndpointRouteBuilder app)
    {
        var loops = app.MapGroup("/api/loops").WithTags("Loop library");
        loops.MapGet("/", async (string? q, string? instrument, string? kind, string? key, double? bpmMin, double? bpmMax, int? first, string? after,
                LoopService service, HttpContext http) =>
                Paging.Page(await service.SearchAsync(q, instrument, kind, key, bpmMin, bpmMax, first ?? 20, after), http))
            .WithSummary("Browses the loop library: q (name or pack), instrument, kind=loop|one-shot, key, bpmMin/bpmMax; newest packs first.");
        loops.MapGet("/{id:guid}", async (Guid id, ClaimsPrincipal user, LoopService service) =>
            TypedResults.Ok(await service.GetAsync(id, user.OptionalUserId())));
        loops.MapGet("/{id:guid}/audio", async (Guid id, ClaimsPrincipal user, LoopService service, HttpContext http) =>
            {
                var (content, contentType, length) = await service.AudioAsync(id, user.OptionalUserId(), http.RequestAborted);
                BlobEndpoints.MarkAsDownload(http.Response);
                http.Response.ContentLength = length;
                return Results.Stream(content, BlobMediaTypes.Safe(contentType));
            })
            .WithSummary("The loop's file as its seller uploaded it, to hear it (in time with a project, in the studio) before taking it.");
        loops.MapPost("/{id:guid}/library", async (Guid id, ClaimsPrincipal user, LoopService service) =>
                TypedResults.Ok(await service.TakeAsync(id, user.UserId(), user.Role())))
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary("Takes the loop into the caller's audio (a free order of its pack, once); returns the asset and the loop's tempo and beats. Again: the same asset.");
        return app;
    }
}
