using Jacameno.Projects;
using Jacameno.Users;

namespace Jacameno.Storage.Catalog;

/// <summary>A user as the catalog lists them for search.</summary>
public sealed record UserListing(Guid Id, string DisplayName, string? Bio, DateTimeOffset CreatedAt);

/// <summary>A project as one of its members sees it in their lists.</summary>
public sealed record ProjectListing(Guid Id, string Name, ProjectRole Role, DateTimeOffset UpdatedAt);

/// <summary>
/// One page of results and the cursor that continues after it (null at the end). <see cref="Cursors"/> holds each
/// item's own cursor, in the same order: passed as <c>after</c>, it continues right after that item.
/// </summary>
public sealed record CatalogPage<T>(IReadOnlyList<T> Items, IReadOnlyList<string> Cursors, string? NextCursor)
{
    /// <summary>
    /// The same page with each item made into another, one for one, each keeping its cursor; an item made into null
    /// (gone since the catalog listed it) is left out with its cursor, and the page still continues where it did.
    /// </summary>
    public CatalogPage<TOut> With<TOut>(IReadOnlyList<TOut?> items) where TOut : class
    {
        if (items.Count != Items.Count)
        {
            throw new ArgumentException($"A page of {Items.Count} items cannot be made into {items.Count}.", nameof(items));
        }

        var kept = Enumerable.Range(0, items.Count).Where(i => items[i] is not null).ToList();
        return new CatalogPage<TOut>([.. kept.Select(i => items[i]!)], [.. kept.Select(i => Cursors[i])], NextCursor);
    }
}

/// <summary>
/// The read model for queries that span many grains (search, feeds, filters). Grains write through to it
/// when their state changes; it can be rebuilt from grain state. SQLite (FTS5) embedded, PostgreSQL in a cluster.
/// </summary>
public interface ICatalog
{
    Task UpsertUserAsync(UserProfile user, CancellationToken cancellationToken = default);

    /// <summary>Takes a deleted account out of the user search.</summary>
    Task DeleteUserAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Users whose display name matches every word of <paramref name="search"/> as a prefix, by name.</summary>
    Task<CatalogPage<UserListing>> SearchUsersAsync(string? search, int first, string? after, CancellationToken cancellationToken = default);

    /// <summary>Replaces the project's member rows (the owner is a member with role Owner).</summary>
    Task SetProjectAsync(Guid projectId, string name, DateTimeOffset updatedAt, IReadOnlyList<Collaborator> members, CancellationToken cancellationToken = default);

    Task DeleteProjectAsync(Guid projectId, CancellationToken cancellationToken = default);

    /// <summary>The user's projects by name: those they own, or (<paramref name="owned"/> false) those shared with them.</summary>
    Task<CatalogPage<ProjectListing>> ListProjectsAsync(Guid userId, bool owned, int first, string? after, CancellationToken cancellationToken = default);

    /// <summary>Lists an item (a job, an asset) under its owner; listing it again changes nothing.</summary>
    Task AddOwnedAsync(OwnedList list, Guid id, Guid ownerId, DateTimeOffset createdAt, CancellationToken cancellationToken = default);

    Task RemoveOwnedAsync(OwnedList list, Guid id, CancellationToken cancellationToken = default);

    /// <summary>The owner's ids in the list, newest first.</summary>
    Task<CatalogPage<Guid>> ListOwnedAsync(OwnedList list, Guid ownerId, int first, string? after, CancellationToken cancellationToken = default);

    /// <summary>Replaces the set of assets the project's current version uses.</summary>
    Task SetProjectAssetsAsync(Guid projectId, IReadOnlyCollection<Guid> assetIds, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> projects whose current version uses the asset.</summary>
    Task<IReadOnlyList<Guid>> ProjectsUsingAssetAsync(Guid assetId, int limit = 10, CancellationToken cancellationToken = default);
}

/// <summary>Sort keys that order newest first when compared ascending, as keyset cursors compare.</summary>
public static class NewestFirst
{
    public static string Key(DateTimeOffset at) => (long.MaxValue - at.UtcTicks).ToString("D19", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>The catalog's lists of what a user owns, newest first: a table each, of one shape (id, owner, sort key).</summary>
public enum OwnedList
{
    Jobs,
    Assets,
}

internal static class OwnedLists
{
    /// <summary>The list's table and id column (constants, so safe to put in SQL text).</summary>
    public static (string Table, string Id) Sql(this OwnedList list) => list switch
    {
        OwnedList.Jobs => ("catalog_jobs", "job_id"),
        OwnedList.Assets => ("catalog_assets", "asset_id"),
        _ => throw new ArgumentOutOfRangeException(nameof(list)),
    };
}
