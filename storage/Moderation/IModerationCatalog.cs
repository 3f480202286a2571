using Jacameno.Storage.Catalog;

namespace Jacameno.Moderation;

/// <summary>Reports and the moderation audit log, in the database every frontend shares.</summary>
public interface IModerationCatalog
{
    Task AddReportAsync(Report report, CancellationToken cancellationToken = default);

    Task<Report?> GetReportAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Records the owner's counter-notice to a takedown (the last one stands).</summary>
    Task CounterNoticeAsync(Guid id, string statement, CancellationToken cancellationToken = default);

    /// <summary>The reporter's open report of the target, if any (a second report of the same thing adds nothing).</summary>
    Task<Report?> OpenReportAsync(Guid reporterId, ModerationTarget type, Guid targetId, CancellationToken cancellationToken = default);

    /// <summary>How many reports <paramref name="reporterId"/> made since <paramref name="since"/> (for the rate limit).</summary>
    Task<int> CountReportsAsync(Guid reporterId, DateTimeOffset since, CancellationToken cancellationToken = default);

    /// <summary>The queue: unresolved reports, oldest first.</summary>
    Task<CatalogPage<Report>> OpenReportsAsync(int first, string? after, CancellationToken cancellationToken = default);

    /// <summary>Closes every open report of the target with the moderator's action.</summary>
    Task<int> ResolveAsync(ModerationTarget type, Guid targetId, string resolution, DateTimeOffset at, CancellationToken cancellationToken = default);

    Task AddActionAsync(ModerationEntry entry, CancellationToken cancellationToken = default);

    /// <summary>The audit log, newest first; of one target when given.</summary>
    Task<CatalogPage<ModerationEntry>> ActionsAsync(ModerationTarget? type, Guid? targetId, int first, string? after, CancellationToken cancellationToken = default);
}
