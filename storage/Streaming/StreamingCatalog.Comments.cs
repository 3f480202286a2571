using Jacameno.Storage.Catalog;
using static Jacameno.Storage.Catalog.SqlDialect;

namespace Jacameno.Streaming;

// The catalog's comments on releases (StreamingCatalog.cs has the shared readers).
public sealed partial class StreamingCatalog
{
    public async Task AddCommentAsync(ReleaseComment comment, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO catalog_comments (id, release_id, author_id, parent_id, at_seconds, body, created_at, sort_key)
            VALUES (@id, @release, @author, @parent, @at, @body, @created, @key)
            """, cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(comment.Id));
            Add(c, "release", db.IdValue(comment.ReleaseId));
            Add(c, "author", db.IdValue(comment.AuthorId));
            Add(c, "parent", comment.ParentId is { } parent ? db.IdValue(parent) : null);
            Add(c, "at", comment.AtSeconds);
            Add(c, "body", comment.Text);
            Add(c, "created", comment.CreatedAt.UtcTicks);
            // By position, then each thread in order: a reply sorts under its parent's key.
            Add(c, "key", $"{(long)(comment.AtSeconds * 1000):D12}:{(comment.ParentId ?? comment.Id):N}:{(comment.ParentId is null ? 0 : comment.CreatedAt.UtcTicks):D19}");
        });
    }

    public async Task<ReleaseComment?> GetCommentAsync(Guid commentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, release_id, author_id, parent_id, at_seconds, body, created_at, sort_key FROM catalog_comments WHERE id = @id";
        Add(command, "id", db.IdValue(commentId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadComment(reader) : null;
    }

    public async Task<IReadOnlyList<ReleaseComment>> CommentsByAuthorAsync(Guid authorId, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id, release_id, author_id, parent_id, at_seconds, body, created_at, sort_key FROM catalog_comments WHERE author_id = @author ORDER BY created_at LIMIT @limit";
        Add(command, "author", db.IdValue(authorId));
        Add(command, "limit", limit);
        var comments = new List<ReleaseComment>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            comments.Add(ReadComment(reader));
        }

        return comments;
    }

    public async Task<int> DeleteCommentAsync(Guid commentId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, "DELETE FROM catalog_comments WHERE id = @id OR parent_id = @id", cancellationToken,
            c => Add(c, "id", db.IdValue(commentId)));
    }

    public async Task<CatalogPage<ReleaseComment>> ListCommentsAsync(Guid releaseId, int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT id, release_id, author_id, parent_id, at_seconds, body, created_at, sort_key FROM catalog_comments
            WHERE release_id = @release {(cursor is null ? "" : "AND (sort_key > @afterKey OR (sort_key = @afterKey AND id > @afterId))")}
            ORDER BY sort_key, id LIMIT @limit
            """;
        Add(command, "release", db.IdValue(releaseId));
        if (cursor is { } c)
        {
            Add(command, "afterKey", c.SortKey);
            Add(command, "afterId", db.IdValue(c.Id));
        }

        Add(command, "limit", size + 1);
        var rows = new List<(ReleaseComment, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((ReadComment(reader), reader.GetString(7)));
        }

        return CatalogCursor.Page(rows, size, r => r.Id);
    }
}
