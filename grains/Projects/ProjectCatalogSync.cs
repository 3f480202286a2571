using Jacameno.Storage.Catalog;
using Microsoft.Extensions.Logging;

namespace Jacameno.Projects;

/// <summary>
/// Writes a project's listing (name, collaborators) and the assets it plays through to the catalog. Best effort:
/// the grain is the truth, and a failed write leaves lists stale, never an edit lost.
/// </summary>
internal sealed partial class ProjectCatalogSync(Guid projectId, ICatalog catalog, ILogger logger)
{
    // The assets the catalog last heard this project uses; null until told once per activation.
    private HashSet<Guid>? assetUses;

    /// <summary>Tells the catalog which assets the current version plays, when that changed, so they are not deleted.</summary>
    public async Task UpdateAssetUsesAsync(ProjectDocument document)
    {
        var uses = document.PlayedAssets().ToHashSet();
        if (assetUses is not null && assetUses.SetEquals(uses))
        {
            return;
        }

        try
        {
            await catalog.SetProjectAssetsAsync(projectId, uses);
            assetUses = uses;
        }
        catch (Exception e)
        {
            LogCatalogFailed(logger, e, projectId);
        }
    }

    public async Task UpdateListingAsync(ProjectDocument document)
    {
        try
        {
            await catalog.SetProjectAsync(projectId, document.Name, document.UpdatedAt, document.Collaborators);
        }
        catch (Exception e)
        {
            LogCatalogFailed(logger, e, projectId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Project {ProjectId}: catalog write-through failed; lists are stale until rebuilt")]
    private static partial void LogCatalogFailed(ILogger logger, Exception exception, Guid projectId);
}
