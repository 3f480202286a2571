using Jacameno.Infrastructure.Postgres;
using Jacameno.Users;

namespace Jacameno.Infrastructure.Catalog;

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
}
