using System.Security.Claims;
using Jacameno.Assets;
using Jacameno.Frontend.Assets;
using Jacameno.Frontend.Auth;
using Jacameno.Frontend.Http;
using Jacameno.Projects;
using Jacameno.Projects.Interchange;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Projects;

/// <summary>The outcome of an import: the new project, and what could not be carried over.</summary>
public sealed record DawProjectImportResponse(ProjectDocument Project, IReadOnlyList<Guid> Assets, IReadOnlyList<string> Warnings);

/// <summary>DAWproject export (a zip streamed from the blob store) and import (a zip uploaded to a temp file, its audio made assets).</summary>
public static class DawProjectEndpoints
{
    public static IEndpointRouteBuilder MapDawProjectEndpoints(this IEndpointRouteBuilder app)
    {
        var projects = app.MapGroup("/api/projects").WithTags("Projects").RequireAuthorization(Policies.Authenticated);
        projects.MapGet("/{id:guid}/dawproject", ExportAsync)
            .WithSummary("The project (current version or ?version=) as a DAWproject file with its audio, for Bitwig, Studio One, Cubase.");
        projects.MapPost("/dawproject", ImportAsync)
            .WithSummary("Imports a DAWproject (raw body or multipart): a new project owned by the caller; its audio files become the caller's assets.")
            .DisableAntiforgery();
        return app;
    }

    private static async Task ExportAsync(Guid id, long? version, HttpContext http, ClaimsPrincipal user, ProjectService projects, IDawProjectInterchange interchange)
    {
        var current = await projects.GetAsync(user.UserId(), id);
        var project = version is { } v && v != current.Version ? await projects.VersionAsync(user.UserId(), id, v) : current;
        http.Response.ContentType = "application/zip";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{interchange.FileName(project)}\"";
        await interchange.ExportAsync(project, http.Response.BodyWriter.AsStream(), http.RequestAborted);
    }

    private static async Task<IResult> ImportAsync(HttpContext http, ClaimsPrincipal user, IGrainFactory grains, IDawProjectInterchange interchange, IOptions<AssetOptions> options)
    {
        var max = options.Value.MaxUploadBytes;
        if (UploadLimits.Apply(http, max) is { } tooLarge)
        {
            return tooLarge;
        }

        var (body, name) = await AssetEndpoints.SourceAsync(http, null);
        return await UploadLimits.ReadAsync(body, max, async limited =>
            TypedResults.Created("/api/projects", await ImportFileAsync(limited, name, user, grains, interchange, http.RequestAborted)));
    }

    /// <summary>
    /// Imports the DAWproject file <paramref name="body"/> as a new project of the caller: what a request body and a
    /// finished resumable upload alike become. The archive is spooled to a file first: a zip is read from its end (the
    /// directory), which a request body cannot do.
    /// </summary>
    internal static async Task<DawProjectImportResponse> ImportFileAsync(Stream body, string name, ClaimsPrincipal user, IGrainFactory grains,
        IDawProjectInterchange interchange, CancellationToken cancellationToken)
    {
        var temp = Path.Combine(Path.GetTempPath(), $"jacameno-dawproject-{Guid.NewGuid():N}.zip");
        try
        {
            await using (var file = File.Create(temp))
            {
                await body.CopyToAsync(file, cancellationToken);
            }

            var userId = user.UserId();
            var imported = await interchange.ImportAsync(File.OpenRead(temp), Path.GetFileNameWithoutExtension(name), userId, user.Role(), cancellationToken);
            return new DawProjectImportResponse(await grains.GetGrain<IProjectGrain>(imported.ProjectId).GetAsync(userId), imported.Assets, imported.Warnings);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
