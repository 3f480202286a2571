using Jacameno.Common;
using Jacameno.Storage.Catalog;
using Jacameno.Storage.Postgres;
using Jacameno.Storage.Sqlite;
using Jacameno.Tests;
using Jacameno.Users;

namespace Jacameno.Grains.Tests;

/// <summary>One contract for every catalog: upserts are searchable by word prefixes and page by cursor.</summary>
public abstract class CatalogContractTests
{
    protected abstract Task<ICatalog> CatalogAsync();

    private static UserProfile User(string name) =>
        new(Guid.NewGuid(), $"{Guid.NewGuid():N}@example.org", name, null, UserRole.User, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, []);

    [Fact]
    public async Task Search_PrefixOfEveryWord_InNameOrder_Paged()
    {
        var catalog = await CatalogAsync();
        var tag = "q" + Guid.NewGuid().ToString("N")[..8];
        foreach (var name in new[] { $"{tag} Zed", $"{tag} Amy", $"{tag} Bob", "Other Person" })
        {
            await catalog.UpsertUserAsync(User(name));
        }

        var first = await catalog.SearchUsersAsync(tag, 2, null);
        Assert.Equal([$"{tag} Amy", $"{tag} Bob"], first.Items.Select(u => u.DisplayName));
        var second = await catalog.SearchUsersAsync(tag, 2, first.NextCursor);
        Assert.Equal([$"{tag} Zed"], second.Items.Select(u => u.DisplayName));
        Assert.Null(second.NextCursor);

        var both = await catalog.SearchUsersAsync($"{tag[..5]} am", 10, null);
        Assert.Equal([$"{tag} Amy"], both.Items.Select(u => u.DisplayName));
    }

    /// <summary>Jobs and assets are listed alike: per owner, newest first, paged, adding twice adds once, removed on request.</summary>
    [Theory]
    [InlineData(OwnedList.Jobs)]
    [InlineData(OwnedList.Assets)]
    public async Task OwnedItems_ListNewestFirst_PerOwner_Paged(OwnedList list)
    {
        var catalog = await CatalogAsync();
        var (owner, other) = (Guid.NewGuid(), Guid.NewGuid());
        var start = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 4).Select(_ => Guid.NewGuid()).ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            await catalog.AddOwnedAsync(list, ids[i], owner, start.AddSeconds(i));
        }

        await catalog.AddOwnedAsync(list, ids[0], owner, start); // idempotent
        await catalog.AddOwnedAsync(list, Guid.NewGuid(), other, start);
        await catalog.RemoveOwnedAsync(list, ids[3]);
        await catalog.RemoveOwnedAsync(list, Guid.NewGuid()); // unknown: nothing to do
        var first = await catalog.ListOwnedAsync(list, owner, 2, null);
        Assert.Equal([ids[2], ids[1]], first.Items);
        var second = await catalog.ListOwnedAsync(list, owner, 2, first.NextCursor);
        Assert.Equal([ids[0]], second.Items);
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task AssetUses_AreReplacedPerProject_AndForgottenWithIt()
    {
        var catalog = await CatalogAsync();
        var (asset, shared, project, otherProject) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await catalog.SetProjectAssetsAsync(project, [asset, shared]);
        await catalog.SetProjectAssetsAsync(otherProject, [shared]);
        Assert.Equal([project], await catalog.ProjectsUsingAssetAsync(asset));
        Assert.Equal(new[] { project, otherProject }.OrderBy(g => g.ToString("N")), (await catalog.ProjectsUsingAssetAsync(shared)).OrderBy(g => g.ToString("N")));

        await catalog.SetProjectAssetsAsync(project, [shared]);
        Assert.Empty(await catalog.ProjectsUsingAssetAsync(asset));
        await catalog.DeleteProjectAsync(otherProject);
        Assert.Equal([project], await catalog.ProjectsUsingAssetAsync(shared));
    }

    [Fact]
    public async Task Upsert_Rename_ReplacesTheOldName()
    {
        var catalog = await CatalogAsync();
        var user = User("Oldname" + Guid.NewGuid().ToString("N")[..6]);
        await catalog.UpsertUserAsync(user);
        var renamed = user with { DisplayName = "Newname" + Guid.NewGuid().ToString("N")[..6] };
        await catalog.UpsertUserAsync(renamed);
        Assert.Empty((await catalog.SearchUsersAsync(user.DisplayName, 10, null)).Items);
        Assert.Equal(user.Id, Assert.Single((await catalog.SearchUsersAsync(renamed.DisplayName, 10, null)).Items).Id);
    }

    [Theory]
    [InlineData("\"unbalanced")]
    [InlineData("a OR b NOT c*")]
    [InlineData("'; DROP TABLE catalog_users; --")]
    [InlineData("!!! &&& |||")]
    public async Task Search_QuerySyntaxInInput_IsJustText(string search)
    {
        var catalog = await CatalogAsync();
        var page = await catalog.SearchUsersAsync(search, 5, null);
        Assert.NotNull(page.Items);
    }

    [Fact]
    public async Task Search_BadCursorOrSize_ValidationError()
    {
        var catalog = await CatalogAsync();
        Assert.Equal("after", (await Assert.ThrowsAsync<DomainException>(() => catalog.SearchUsersAsync(null, 5, "bm9wZQ"))).Field);
        Assert.Equal("first", (await Assert.ThrowsAsync<DomainException>(() => catalog.SearchUsersAsync(null, 0, null))).Field);
    }
}

public sealed class SqliteCatalogTests : CatalogContractTests
{
    private readonly SqliteCatalog catalog = new(new SqliteDatabase(Path.Combine(TestServices.TempDirectory(), "catalog.db")));

    protected override Task<ICatalog> CatalogAsync() => Task.FromResult<ICatalog>(catalog);
}

public sealed class PostgresCatalogTests : CatalogContractTests
{
    private static readonly Lazy<Task<ICatalog>> Shared = new(async () =>
        new PostgresCatalog(PostgresDatabase.Create(await TestServices.CreatePostgresDatabaseAsync())));

    protected override Task<ICatalog> CatalogAsync() => Shared.Value;
}
