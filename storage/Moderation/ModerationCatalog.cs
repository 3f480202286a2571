using System.Data.Common;
using System.Globalization;
using Jacameno.Storage.Catalog;
using static Jacameno.Storage.Catalog.SqlDialect;

namespace Jacameno.Moderation;

/// <summary>Reports and the audit log as tables, in SQL both databases share.</summary>
public sealed class ModerationCatalog(SqlDialect db) : IModerationCatalog
{
    private const string ReportColumns = "r.id, r.target_type, r.target_id, r.reporter_id, r.reason, r.details, r.created_at, r.resolved_at, r.resolution, " +
        "r.takedown, r.counter_notice";

    public async Task AddReportAsync(Report report, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO moderation_reports (id, target_type, target_id, reporter_id, reason, details, created_at, takedown)
            VALUES (@id, @type, @target, @reporter, @reason, @details, @at, @takedown)
            """, cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(report.Id));
            Add(c, "type", report.TargetType.ToString());
            Add(c, "target", db.IdValue(report.TargetId));
            Add(c, "reporter", report.ReporterId is { } reporter ? db.IdValue(reporter) : null);
            Add(c, "reason", report.Reason.ToString());
            Add(c, "details", report.Details);
            Add(c, "at", report.CreatedAt.UtcTicks);
            Add(c, "takedown", report.Takedown ? 1 : 0);
        });
    }

    public async Task<Report?> GetReportAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {ReportColumns} FROM moderation_reports r WHERE r.id = @id";
        Add(command, "id", db.IdValue(id));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadReport(reader) : null;
    }

    public async Task CounterNoticeAsync(Guid id, string statement, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, "UPDATE moderation_reports SET counter_notice = @statement WHERE id = @id", cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(id));
            Add(c, "statement", statement);
        });
    }

    public async Task<Report?> OpenReportAsync(Guid reporterId, ModerationTarget type, Guid targetId, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {ReportColumns} FROM moderation_reports r
            WHERE r.reporter_id = @reporter AND r.target_type = @type AND r.target_id = @target AND r.resolved_at IS NULL
            """;
        Add(command, "reporter", db.IdValue(reporterId));
        Add(command, "type", type.ToString());
        Add(command, "target", db.IdValue(targetId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? ReadReport(reader) : null;
    }

    public async Task<int> CountReportsAsync(Guid reporterId, DateTimeOffset since, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM moderation_reports WHERE reporter_id = @reporter AND created_at >= @since";
        Add(command, "reporter", db.IdValue(reporterId));
        Add(command, "since", since.UtcTicks);
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<CatalogPage<Report>> OpenReportsAsync(int first, string? after, CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {ReportColumns} FROM moderation_reports r WHERE r.resolved_at IS NULL
            {(cursor is null ? "" : "AND (r.created_at > @afterValue OR (r.created_at = @afterValue AND r.id > @afterId))")}
            ORDER BY r.created_at, r.id LIMIT @limit
            """;
        db.AddWholeAfter(command, cursor);
        Add(command, "limit", size + 1);
        var rows = new List<(Report, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var report = ReadReport(reader);
            rows.Add((report, report.CreatedAt.UtcTicks.ToString(CultureInfo.InvariantCulture)));
        }

        return CatalogCursor.Page(rows, size, r => r.Id);
    }

    public async Task<int> ResolveAsync(ModerationTarget type, Guid targetId, string resolution, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        return await ExecuteAsync(connection, null, """
            UPDATE moderation_reports SET resolved_at = @at, resolution = @resolution
            WHERE target_type = @type AND target_id = @target AND resolved_at IS NULL
            """, cancellationToken, c =>
        {
            Add(c, "type", type.ToString());
            Add(c, "target", db.IdValue(targetId));
            Add(c, "resolution", resolution);
            Add(c, "at", at.UtcTicks);
        });
    }

    public async Task AddActionAsync(ModerationEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await db.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, """
            INSERT INTO moderation_actions (id, target_type, target_id, action, reason, actor_id, created_at, until_at)
            VALUES (@id, @type, @target, @action, @reason, @actor, @at, @until)
            """, cancellationToken, c =>
        {
            Add(c, "id", db.IdValue(entry.Id));
            Add(c, "type", entry.TargetType.ToString());
            Add(c, "target", db.IdValue(entry.TargetId));
            Add(c, "action", entry.Action.ToString());
            Add(c, "reason", entry.Reason);
            Add(c, "actor", db.IdValue(entry.ActorId));
            Add(c, "at", entry.At.UtcTicks);
            Add(c, "until", entry.Until?.UtcTicks);
        });
    }

    public async Task<CatalogPage<ModerationEntry>> ActionsAsync(ModerationTarget? type, Guid? targetId, int first, string? after,
        CancellationToken cancellationToken = default)
    {
        var size = CatalogCursor.PageSize(first);
        var cursor = CatalogCursor.Decode(after);
        await using var connection = await db.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT r.id, r.target_type, r.target_id, r.action, r.reason, r.actor_id, r.created_at, r.until_at FROM moderation_actions r WHERE 1 = 1
            {(type is null ? "" : "AND r.target_type = @type")}
            {(targetId is null ? "" : "AND r.target_id = @target")}
            {(cursor is null ? "" : "AND (r.created_at < @afterValue OR (r.created_at = @afterValue AND r.id > @afterId))")}
            ORDER BY r.created_at DESC, r.id LIMIT @limit
            """;
        if (type is { } t)
        {
            Add(command, "type", t.ToString());
        }

        if (targetId is { } target)
        {
            Add(command, "target", db.IdValue(target));
        }

        db.AddWholeAfter(command, cursor);
        Add(command, "limit", size + 1);
        var rows = new List<(ModerationEntry, string)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entry = new ModerationEntry(db.ReadId(reader, 0), Enum.Parse<ModerationTarget>(reader.GetString(1)), db.ReadId(reader, 2),
                Enum.Parse<ModerationAction>(reader.GetString(3)), reader.GetString(4), db.ReadId(reader, 5), Ticks(reader.GetInt64(6)),
                reader.IsDBNull(7) ? null : Ticks(reader.GetInt64(7)));
            rows.Add((entry, entry.At.UtcTicks.ToString(CultureInfo.InvariantCulture)));
        }

        return CatalogCursor.Page(rows, size, e => e.Id);
    }

    private Report ReadReport(DbDataReader reader) => new(db.ReadId(reader, 0), Enum.Parse<ModerationTarget>(reader.GetString(1)), db.ReadId(reader, 2),
        reader.IsDBNull(3) ? null : db.ReadId(reader, 3), Enum.Parse<ReportReason>(reader.GetString(4)), reader.IsDBNull(5) ? null : reader.GetString(5),
        Ticks(reader.GetInt64(6)), reader.IsDBNull(7) ? null : Ticks(reader.GetInt64(7)), reader.IsDBNull(8) ? null : reader.GetString(8),
        Convert.ToInt64(reader.GetValue(9), CultureInfo.InvariantCulture) != 0, reader.IsDBNull(10) ? null : reader.GetString(10));
}
