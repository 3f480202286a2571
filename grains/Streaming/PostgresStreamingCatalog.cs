using System.Data.Common;
using Jacameno.Infrastructure.Postgres;

namespace Jacameno.Streaming;

/// <summary>The streaming catalog in the cluster's PostgreSQL; text search on a weighted tsvector column with a GIN index.</summary>
public sealed class PostgresStreamingCatalog(PostgresDatabase database) : StreamingCatalog
{
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        await database.EnsureMigratedAsync(cancellationToken);
        return await database.DataSource.OpenConnectionAsync(cancellationToken);
    }

    protected override object IdValue(Guid id) => id;

    protected override Guid ReadId(DbDataReader reader, int ordinal) => reader.GetGuid(ordinal);

    protected override (string Join, string Where, string Rank) TextSearch(DbCommand command, IReadOnlyList<string> words)
    {
        // Words are letters and digits only (CatalogCursor.Words), so the tsquery holds no operators of the user's.
        Add(command, "match", string.Join(" & ", words.Select(w => w + ":*")));
        return ("CROSS JOIN to_tsquery('simple', @match) q", "r.search @@ q", "ts_rank(r.search, q)");
    }
}
