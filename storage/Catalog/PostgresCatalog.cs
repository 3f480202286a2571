using Jacameno.Projects;
using Jacameno.Storage.Postgres;
using Jacameno.Users;

namespace Jacameno.Storage.Catalog;

public sealed class PostgresCatalog(PostgresDatabase database) : ICatalog
{
    public async Task UpsertUserAsync(UserProfile user, CancellationToken cancellationToken = default)
    {
        await database.EnsureMigratedAsync(cancellationToken);
        await using var command = database.DataSource.CreateCommand("""
            INSERT INTO catalog_users (id, display_name, sort_key, bio, created_at) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (id) DO UPDATE SET display_name = excluded.display_name, sort_key = excluded.sort_key, bio = excluded.bio
            """);
        command.Parameters.AddWithValue(user.Id);
        command.Parameters.AddWithValue(user.DisplayName);
        command.Parameters.AddWithValue(user.DisplayName.ToLowerInvariant());
        command.Parameters.AddWithValue((object?)user.Bio ?? DBNull.Value);
        command.Parameters.AddWithValue(user.CreatedAt);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await database.EnsureMigratedAsync(cancellationToken);
        await using var command = database.DataSource.CreateCommand("DELETE FROM catalog_users WHERE id = $1");
        command.Parameters.AddWithValue(userId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CatalogPage<UserListing>> SearchUsersAsync(string? search, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        var words = CatalogCursor.Words(search);
        await database.EnsureMigratedAsync(cancellationToken);
        // Words are reduced to letters and digits (CatalogCursor.Words), so the tsquery holds no operators of the user's.
        await using var command = database.DataSource.CreateCommand("""
            SELECT id, display_name, bio, created_at, sort_key FROM catalog_users
            WHERE ($1 = '' OR search @@ to_tsquery('simple', $1))
              AND ($2::text IS NULL OR (sort_key COLLATE "C", id) > ($2 COLLATE "C", $3))
            ORDER BY sort_key COLLATE "C", id LIMIT $4
            """);
        command.Parameters.AddWithValue(string.Join(" & ", words.Select(w => w + ":*")));
        command.Parameters.AddWithValue((object?)cursor?.SortKey ?? DBNull.Value);
        command.Parameters.AddWithValue(cursor?.Id ?? Guid.Empty);
        command.Parameters.AddWithValue(size + 1);
        var rows = new List<(UserListing User, string SortKey)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((new UserListing(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3)), reader.GetString(4)));
        }

        return CatalogCursor.Page(rows, size, u => u.Id);
    }

    public async Task SetProjectAsync(Guid projectId, string name, DateTimeOffset updatedAt, IReadOnlyList<Collaborator> members, CancellationToken cancellationToken = default)
    {
        await database.EnsureMigratedAsync(cancellationToken);
        await using var batch = database.DataSource.CreateBatch();
        var delete = new Npgsql.NpgsqlBatchCommand("DELETE FROM catalog_project_members WHERE project_id = $1");
        delete.Parameters.AddWithValue(projectId);
        var insert = new Npgsql.NpgsqlBatchCommand("""
            INSERT INTO catalog_project_members (project_id, user_id, role, is_owner, name, sort_key, updated_at)
            SELECT $1, m.user_id, m.role, m.role = 'Owner', $4, $5, $6 FROM unnest($2::uuid[], $3::text[]) AS m(user_id, role)
            """);
        insert.Parameters.AddWithValue(projectId);
        insert.Parameters.AddWithValue(members.Select(m => m.UserId).ToArray());
        insert.Parameters.AddWithValue(members.Select(m => m.Role.ToString()).ToArray());
        insert.Parameters.AddWithValue(name);
        insert.Parameters.AddWithValue(name.ToLowerInvariant());
        insert.Parameters.AddWithValue(updatedAt);
        batch.BatchCommands.Add(delete);
        batch.BatchCommands.Add(insert);
        // A batch without an explicit transaction runs as one implicit transaction in PostgreSQL.
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task DeleteProjectAsync(Guid projectId, CancellationToken cancellationToken = default)
    {
        await database.EnsureMigratedAsync(cancellationToken);
        await using var batch = database.DataSource.CreateBatch();
        foreach (var table in new[] { "catalog_project_members", "catalog_asset_uses" })
        {
            var delete = new Npgsql.NpgsqlBatchCommand($"DELETE FROM {table} WHERE project_id = $1");
            delete.Parameters.AddWithValue(projectId);
            batch.BatchCommands.Add(delete);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CatalogPage<ProjectListing>> ListProjectsAsync(Guid userId, bool owned, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await database.EnsureMigratedAsync(cancellationToken);
        await using var command = database.DataSource.CreateCommand("""
            SELECT project_id, name, role, updated_at, sort_key FROM catalog_project_members
            WHERE user_id = $1 AND is_owner = $2
              AND ($3::text IS NULL OR (sort_key COLLATE "C", project_id) > ($3 COLLATE "C", $4))
            ORDER BY sort_key COLLATE "C", project_id LIMIT $5
            """);
        command.Parameters.AddWithValue(userId);
        command.Parameters.AddWithValue(owned);
        command.Parameters.AddWithValue((object?)cursor?.SortKey ?? DBNull.Value);
        command.Parameters.AddWithValue(cursor?.Id ?? Guid.Empty);
        command.Parameters.AddWithValue(size + 1);
        var rows = new List<(ProjectListing Project, string SortKey)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((new ProjectListing(reader.GetGuid(0), reader.GetString(1), Enum.Parse<ProjectRole>(reader.GetString(2)),
                reader.GetFieldValue<DateTimeOffset>(3)), reader.GetString(4)));
        }

        return CatalogCursor.Page(rows, size, p => p.Id);
    }

    public async Task RemoveOwnedAsync(OwnedList list, Guid id, CancellationToken cancellationToken = default)
    {
        var (table, idColumn) = list.Sql();
        await database.EnsureMigratedAsync(cancellationToken);
        await using var command = database.DataSource.CreateCommand($"DELETE FROM {table} WHERE {idColumn} = $1");
        command.Parameters.AddWithValue(id);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task AddOwnedAsync(OwnedList list, Guid id, Guid ownerId, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        var table = list.Sql();
        await database.EnsureMigratedAsync(cancellationToken);
        await using var command = database.DataSource.CreateCommand(
            $"INSERT INTO {table.Table} ({table.Id}, owner_id, sort_key) VALUES ($1, $2, $3) ON CONFLICT ({table.Id}) DO NOTHING");
        command.Parameters.AddWithValue(id);
        command.Parameters.AddWithValue(ownerId);
        command.Parameters.AddWithValue(NewestFirst.Key(createdAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CatalogPage<Guid>> ListOwnedAsync(OwnedList list, Guid ownerId, int first, string? after, CancellationToken cancellationToken = default)
    {
        var table = list.Sql();
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await database.EnsureMigratedAsync(cancellationToken);
        await using var command = database.DataSource.CreateCommand($"""
            SELECT {table.Id}, sort_key FROM {table.Table}
            WHERE owner_id = $1 AND ($2::text IS NULL OR (sort_key COLLATE "C", {table.Id}) > ($2 COLLATE "C", $3))
            ORDER BY sort_key COLLATE "C", {table.Id} LIMIT $4
            """);
        command.Parameters.AddWithValue(ownerId);
        command.Parameters.AddWithValue((object?)cursor?.SortKey ?? DBNull.Value);
        command.Parameters.AddWithValue(cursor?.Id ?? Guid.Empty);
        command.Parameters.AddWithValue(size + 1);
        var rows = new List<(Guid Id, string SortKey)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetGuid(0), reader.GetString(1)));
        }

        return CatalogCursor.Page(rows, size, id => id);
    }

    public async Task SetProjectAssetsAsync(Guid projectId, IReadOnlyCollection<Guid> assetIds, CancellationToken cancellationToken = default)
    {
        await database.EnsureMigratedAsync(cancellationToken);
        await using var batch = database.DataSource.CreateBatch();
        var delete = new Npgsql.NpgsqlBatchCommand("DELETE FROM catalog_asset_uses WHERE project_id = $1");
        delete.Parameters.AddWithValue(projectId);
        var insert = new Npgsql.NpgsqlBatchCommand("INSERT INTO catalog_asset_uses (asset_id, project_id) SELECT a, $1 FROM unnest($2::uuid[]) AS a");
        insert.Parameters.AddWithValue(projectId);
        insert.Parameters.AddWithValue(assetIds.ToArray());
        batch.BatchCommands.Add(delete);
        batch.BatchCommands.Add(insert);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<Guid>> ProjectsUsingAssetAsync(Guid assetId, int limit = 10, CancellationToken cancellationToken = default)
    {
        await database.EnsureMigratedAsync(cancellationToken);
        await using var command = database.DataSource.CreateCommand("SELECT project_id FROM catalog_asset_uses WHERE asset_id = $1 ORDER BY project_id LIMIT $2");
        command.Parameters.AddWithValue(assetId);
        command.Parameters.AddWithValue(limit);
        var projects = new List<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            projects.Add(reader.GetGuid(0));
        }

        return projects;
    }
}
