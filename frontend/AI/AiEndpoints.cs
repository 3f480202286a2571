using System.Security.Claims;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Jobs;

namespace Jacameno.Frontend.AI;

public static class AiEndpoints
{
    public static IEndpointRouteBuilder MapAiEndpoints(this IEndpointRouteBuilder app)
    {
        var ai = app.MapGroup("/api/ai").WithTags("AI").RequireAuthorization(Policies.Authenticated);

        ai.MapPost("/analysis", async (AnalysisRequest request, ClaimsPrincipal user, AiService service) => Accepted(
                await service.AnalyseAsync(user.UserId(), user.Role(), request)))
            .WithSummary("Analyses an asset as a job: loudness, tempo and beats, key, pitch contour with tuning and vibrato, spectrum, stereo, clipping, silence (docs/ai.md).");

        ai.MapPost("/mastering", async (MasteringRequest request, ClaimsPrincipal user, AiService service) => Accepted(
                await service.MasterAsync(user.UserId(), user.Role(), request)))
            .WithSummary("Masters an asset or a project's mix as a job, to target {lufs, truePeakDbtp}, in a style (balanced, warm, bright, loud) or toward a reference asset.");

        ai.MapPost("/mix", async (MixRequest request, ClaimsPrincipal user, AiService service) => Accepted(
                await service.MixAsync(user.UserId(), user.Role(), request)))
            .WithSummary("Proposes a starting mix for a project as a job (gain staging, high-pass, panning, masking cuts, bus compression); apply: true submits it as the assistant's ops.");

        ai.MapPost("/lyrics", async (LyricsRequest request, ClaimsPrincipal user, AiService service) => Accepted(
                await service.WriteLyricsAsync(user.UserId(), user.Role(), request)))
            .WithSummary("Writes lyrics as a job: theme, genre, mood, structure, rhymeScheme, syllablesPerLine, language, seed; provider model (when configured) or offline.");

        ai.MapPost("/lyrics/assist", async (LyricsAssistRequest request, ClaimsPrincipal user, AiService service) =>
                TypedResults.Ok(await service.AssistAsync(user.UserId(), request)))
            .WithSummary("Measures lyrics at once: syllables and stress per line, rhyme groups, meter against a tempo or a project's; rhymes for a word.");
        return app;
    }

    private static IResult Accepted(Jacameno.Jobs.JobInfo job) => TypedResults.Accepted($"/api/jobs/{job.Id}", JobResponse.From(job));
}
