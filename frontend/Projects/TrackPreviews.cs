using System.Security.Claims;
using GraphQL;
using GraphQL.Types;
using Jacameno.Common;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.GraphQL;
using Jacameno.Frontend.Hosting;
using Jacameno.Plugins;
using Jacameno.Projects;
using Jacameno.Rendering;

namespace Jacameno.Frontend.Projects;

/// <summary>
/// Server-rendered previews of a track: what the studio cannot make in the browser (hosted plugins), made by the engine
/// for a window of the timeline, so a plugin track is heard while editing (docs/plugins.md, "Previews").
/// </summary>
/// <summary>The per-user budget of track previews; each renders on a silo (and may start a plugin host).</summary>
public sealed class PreviewThrottle(System.Threading.RateLimiting.PartitionedRateLimiter<string> limiter)
    : Throttle(limiter, seconds => $"Too many previews; try again in {seconds} s.");

public sealed class TrackPreviews(IGrainFactory grains, PreviewThrottle throttle)
{
    public const double DefaultSeconds = 10;

    public async Task<TrackPreview> RenderAsync(Guid userId, Guid projectId, Guid trackId, long? from, double? seconds)
    {
        var start = from ?? 0;
        var length = seconds ?? DefaultSeconds;
        if (start < 0)
        {
            throw DomainException.Invalid("from", "from is a timeline position in samples, 0 or more.");
        }

        if (!(length > 0 && length <= TrackPreview.MaxSeconds))
        {
            throw DomainException.Invalid("seconds", $"seconds is more than 0 and at most {TrackPreview.MaxSeconds}.");
        }

        // Counted here, not per request, so GraphQL aliases draw from the same budget.
        await throttle.TakeAsync(userId.ToString("N"), default);
        var project = await grains.GetGrain<IProjectGrain>(projectId).GetAsync(userId);
        var track = project.Tracks.Find(t => t.Id == trackId) ?? throw DomainException.NotFound("The track");
        // The grain goes to a silo that has the track's plugins, as a render job's worker does.
        var plugins = track.Effects.Where(e => !e.Bypass && PluginInfo.IsPluginId(e.Type)).Select(e => e.Type).Distinct().Order(StringComparer.Ordinal).ToList();
        if (plugins.Count > 0)
        {
            RequestContext.Set(PluginSiloPlacementFilterDirector.RequestKey, string.Join('\n', plugins));
        }

        try
        {
            return await grains.GetGrain<ITrackPreviewGrain>(trackId).RenderAsync(userId, projectId, start, (int)Math.Ceiling(length * project.SampleRate));
        }
        finally
        {
            RequestContext.Remove(PluginSiloPlacementFilterDirector.RequestKey);
        }
    }

}

public static class TrackPreviewEndpoints
{
    public static IEndpointRouteBuilder MapTrackPreviewEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/projects/{id:guid}/tracks/{trackId:guid}/preview",
                async (Guid id, Guid trackId, long? from, double? seconds, ClaimsPrincipal user, TrackPreviews previews, HttpContext http) =>
                {
                    var preview = await previews.RenderAsync(user.UserId(), id, trackId, from, seconds);
                    http.Response.Headers.CacheControl = "no-store";
                    http.Response.Headers["X-Project-Version"] = preview.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    if (preview.MissingPlugins.Count > 0)
                    {
                        http.Response.Headers["X-Missing-Plugins"] = string.Join("; ", preview.MissingPlugins).Replace('\n', ' ');
                    }

                    return TypedResults.File(preview.Wav, "audio/wav");
                })
            .WithTags("Projects")
            .RequireAuthorization(Policies.Authenticated)
            .WithSummary($"The track's clips through its own effect chain (plugins included), before fader, pan and buses, as 16-bit WAV at the project's rate: "
                + $"`seconds` (default {TrackPreviews.DefaultSeconds}, at most {TrackPreview.MaxSeconds}) from timeline sample `from` (default 0), of the current version "
                + "(X-Project-Version). Plugins this server lacks are bypassed and named in X-Missing-Plugins.")
            .Produces(StatusCodes.Status200OK, contentType: "audio/wav");
        return app;
    }
}

public sealed class TrackPreviewGraphType : ObjectGraphType<TrackPreview>
{
    public TrackPreviewGraphType()
    {
        Name = "TrackPreview";
        Description = "A window of a track's sound made by the engine (its clips through its own effect chain, before fader, pan and buses).";
        Field(p => p.Version).Description("The project version it was made from.");
        Field(p => p.SampleRate);
        Field<NonNullGraphType<StringGraphType>>("wav").Description("16-bit stereo WAV, Base64.").Resolve(c => Convert.ToBase64String(c.Source.Wav));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("missingPlugins")
            .Description("Plugins this server could not load, bypassed, with the reason.").Resolve(c => c.Source.MissingPlugins);
    }
}

public sealed class TrackPreviewQueryFields : IQueryFields
{
    public void AddTo(ObjectGraphType query) =>
        query.Field<NonNullGraphType<TrackPreviewGraphType>>("trackPreview")
            .Description($"A preview of a track of a project the caller is in, as GET /api/projects/{{id}}/tracks/{{trackId}}/preview makes it (at most {TrackPreview.MaxSeconds} s).")
            .Argument<NonNullGraphType<IdGraphType>>("projectId")
            .Argument<NonNullGraphType<IdGraphType>>("trackId")
            .Argument<LongGraphType>("from", "Timeline sample to start at (default 0).")
            .Argument<FloatGraphType>("seconds", $"How long (default {TrackPreviews.DefaultSeconds}).")
            .ResolveAsync(async c => await c.Service<TrackPreviews>().RenderAsync(c.UserId(), c.GuidArgument("projectId", "a project id"),
                c.GuidArgument("trackId", "a track id"), c.GetArgument<long?>("from"), c.GetArgument<double?>("seconds")));
}
