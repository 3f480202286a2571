using System.Globalization;
using Jacameno.Projects;
using Jacameno.Storage.Sqlite;
using Jacameno.Users;

namespace Jacameno.Storage.Catalog;

public sealed class SqliteCatalog(SqliteDatabase database) : ICatalog
{
    public async Task UpsertUserAsync(UserProfile user, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO catalog_users (id, display_name, sort_key, bio, created_at) VALUES (@id, @name, @key, @bio, @created)
            ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, sort_key = excluded.sort_key, bio = excluded.bio;
            INSERT INTO catalog_users_fts_keys (id) VALUES (@id) ON CONFLICT (id) DO NOTHING;
            DELETE FROM catalog_users_fts WHERE rowid = (SELECT rowid FROM catalog_users_fts_keys WHERE id = @id);
            INSERT INTO catalog_users_fts (rowid, display_name) VALUES ((SELECT rowid FROM catalog_users_fts_keys WHERE id = @id), @name);
            """;
        command.Parameters.AddWithValue("@id", user.Id.ToString("N"));
        command.Parameters.AddWithValue("@name", user.DisplayName);
        command.Parameters.AddWithValue("@key", user.DisplayName.ToLowerInvariant());
        command.Parameters.AddWithValue("@bio", (object?)user.Bio ?? DBNull.Value);
        command.Parameters.AddWithValue("@created", user.CreatedAt.ToString("O"));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM catalog_users_fts WHERE rowid = (SELECT rowid FROM catalog_users_fts_keys WHERE id = @id);
            DELETE FROM catalog_users_fts_keys WHERE id = @id;
            DELETE FROM catalog_users WHERE id = @id;
            """;
        command.Parameters.AddWithValue("@id", userId.ToString("N"));
        await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<CatalogPage<UserListing>> SearchUsersAsync(string? search, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        var words = CatalogCursor.Words(search);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var filters = new List<string>();
        if (words.Count > 0)
        {
            // Each word is a quoted FTS5 prefix term, so user text is never read as query syntax.
            filters.Add("id IN (SELECT k.id FROM catalog_users_fts f JOIN catalog_users_fts_keys k ON k.rowid = f.rowid WHERE catalog_users_fts MATCH @match)");
            command.Parameters.AddWithValue("@match", string.Join(' ', words.Select(w => $"\"{w}\"*")));
        }

        if (cursor is { } c)
        {
            filters.Add("(sort_key, id) > (@afterKey, @afterId)");
            command.Parameters.AddWithValue("@afterKey", c.SortKey);
            command.Parameters.AddWithValue("@afterId", c.Id.ToString("N"));
        }

        command.CommandText = $"""
            SELECT id, display_name, bio, created_at, sort_key FROM catalog_users
            {(filters.Count > 0 ? "WHERE " + string.Join(" AND ", filters) : "")}
            ORDER BY sort_key, id LIMIT @limit
            """;
        command.Parameters.AddWithValue("@limit", size + 1);
        var rows = new List<(UserListing User, string SortKey)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((new UserListing(Guid.ParseExact(reader.GetString(0), "N"), reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2), DateTimeOffset.Parse(reader.GetString(3), System.Globalization.CultureInfo.InvariantCulture)),
                reader.GetString(4)));
        }

        return CatalogCursor.Page(rows, size, u => u.Id);
    }

    public async Task SetProjectAsync(Guid projectId, string name, DateTimeOffset updatedAt, IReadOnlyList<Collaborator> members, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM catalog_project_members WHERE project_id = @project";
            delete.Parameters.AddWithValue("@project", projectId.ToString("N"));
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO catalog_project_members (project_id, user_id, role, is_owner, name, sort_key, updated_at)
            VALUES (@project, @user, @role, @owner, @name, @key, @updated)
            """;
        insert.Parameters.AddWithValue("@project", projectId.ToString("N"));
        insert.Parameters.AddWithValue("@name", name);
        insert.Parameters.AddWithValue("@key", name.ToLowerInvariant());
        insert.Parameters.AddWithValue("@updated", updatedAt.ToString("O"));
        var user = insert.Parameters.Add("@user", Microsoft.Data.Sqlite.SqliteType.Text);
        var role = insert.Parameters.Add("@role", Microsoft.Data.Sqlite.SqliteType.Text);
        var owner = insert.Parameters.Add("@owner", Microsoft.Data.Sqlite.SqliteType.Integer);
        foreach (var member in members)
        {
            (user.Value, role.Value, owner.Value) = (member.UserId.ToString("N"), member.Role.ToString(), member.Role == ProjectRole.Owner ? 1 : 0);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task DeleteProjectAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DELETE FROM catalog_project_members WHERE project_id = @project;
            DELETE FROM catalog_asset_uses WHERE project_id = @project;
            """;
        command.Parameters.AddWithValue("@project", projectId.ToString("N"));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CatalogPage<ProjectListing>> ListProjectsAsync(Guid userId, bool owned, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT project_id, name, role, updated_at, sort_key FROM catalog_project_members
            WHERE user_id = @user AND is_owner = @owner {(cursor is null ? "" : "AND (sort_key, project_id) > (@afterKey, @afterId)")}
            ORDER BY sort_key, project_id LIMIT @limit
            """;
        command.Parameters.AddWithValue("@user", userId.ToString("N"));
        command.Parameters.AddWithValue("@owner", owned ? 1 : 0);
        command.Parameters.AddWithValue("@afterKey", cursor?.SortKey ?? "");
        command.Parameters.AddWithValue("@afterId", cursor?.Id.ToString("N") ?? "");
        command.Parameters.AddWithValue("@limit", size + 1);
        var rows = new List<(ProjectListing Project, string SortKey)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((new ProjectListing(Guid.ParseExact(reader.GetString(0), "N"), reader.GetString(1), Enum.Parse<ProjectRole>(reader.GetString(2)),
                DateTimeOffset.Parse(reader.GetString(3), CultureInfo.InvariantCulture)), reader.GetString(4)));
        }

        return CatalogCursor.Page(rows, size, p => p.Id);
    }

    public async Task RemoveOwnedAsync(OwnedList list, Guid id, CancellationToken cancellationToken = default)
    {
        var (table, idColumn) = list.Sql();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"DELETE FROM {table} WHERE {idColumn} = @id";
        command.Parameters.AddWithValue("@id", id.ToString("N"));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AddOwnedAsync(OwnedList list, Guid id, Guid ownerId, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        var table = list.Sql();
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"INSERT INTO {table.Table} ({table.Id}, owner_id, sort_key) VALUES (@id, @owner, @key) ON CONFLICT ({table.Id}) DO NOTHING";
        command.Parameters.AddWithValue("@id", id.ToString("N"));
        command.Parameters.AddWithValue("@owner", ownerId.ToString("N"));
        command.Parameters.AddWithValue("@key", NewestFirst.Key(createdAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CatalogPage<Guid>> ListOwnedAsync(OwnedList list, Guid ownerId, int first, string? after, CancellationToken cancellationToken = default)
    {
        var table = list.Sql();
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {table.Id}, sort_key FROM {table.Table}
            WHERE owner_id = @owner {(cursor is null ? "" : $"AND (sort_key, {table.Id}) > (@afterKey, @afterId)")}
            ORDER BY sort_key, {table.Id} LIMIT @limit
            """;
        command.Parameters.AddWithValue("@owner", ownerId.ToString("N"));
        command.Parameters.AddWithValue("@afterKey", cursor?.SortKey ?? "");
        command.Parameters.AddWithValue("@afterId", cursor?.Id.ToString("N") ?? "");
        command.Parameters.AddWithValue("@limit", size + 1);
        var rows = new List<(Guid Id, string SortKey)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((Guid.ParseExact(reader.GetString(0), "N"), reader.GetString(1)));
        }

        return CatalogCursor.Page(rows, size, id => id);
    }

    public async Task SetProjectAssetsAsync(Guid projectId, IReadOnlyCollection<Guid> assetIds, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var delete = connection.CreateCommand())
        {
            delete.CommandText = "DELETE FROM catalog_asset_uses WHERE project_id = @project";
            delete.Parameters.AddWithValue("@project", projectId.ToString("N"));
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO catalog_asset_uses (asset_id, project_id) VALUES (@asset, @project)";
        insert.Parameters.AddWithValue("@project", projectId.ToString("N"));
        var asset = insert.Parameters.Add("@asset", Microsoft.Data.Sqlite.SqliteType.Text);
        foreach (var id in assetIds)
        {
            asset.Value = id.ToString("N");
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> ProjectsUsingAssetAsync(Guid assetId, int limit = 10, CancellationToken cancellationToken = default)
    {
        await using var connection = await database.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT project_id FROM catalog_asset_uses WHERE asset_id = @asset ORDER BY project_id LIMIT @limit";
        command.Parameters.AddWithValue("@asset", assetId.ToString("N"));
        command.Parameters.AddWithValue("@limit", limit);
        var projects = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            projects.Add(Guid.ParseExact(reader.GetString(0), "N"));
        }

        return projects;
    }
}
