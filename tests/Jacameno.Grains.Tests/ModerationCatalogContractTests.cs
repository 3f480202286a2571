using Jacameno.Moderation;
using Jacameno.Storage.Catalog;
using Jacameno.Storage.Postgres;
using Jacameno.Storage.Sqlite;
using Jacameno.Tests;

namespace Jacameno.Grains.Tests;

/// <summary>One contract for reports and the moderation audit log on SQLite and PostgreSQL.</summary>
public abstract class ModerationCatalogContractTests
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>An empty database of its own for each test: the queue is everything open.</summary>
    protected abstract Task<SqlDialect> DatabaseAsync();

    [Fact]
    public async Task Reports_QueueOldestFirst_InPages_UntilResolved_AndCountPerReporter()
    {
        var catalog = new ModerationCatalog(await DatabaseAsync());
        var (reporter, other, target) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var reports = Enumerable.Range(0, 5).Select(i => new Report(Guid.NewGuid(), i == 4 ? ModerationTarget.User : ModerationTarget.Release,
            i == 4 ? Guid.NewGuid() : target, i == 3 ? other : reporter, ReportReason.Spam, i == 0 ? "details" : null, Start.AddMinutes(i), Takedown: i == 1)).ToList();
        foreach (var report in reports)
        {
            await catalog.AddReportAsync(report);
        }

        Assert.Equal(4, await catalog.CountReportsAsync(reporter, Start));
        Assert.Equal(2, await catalog.CountReportsAsync(reporter, Start.AddMinutes(2)));
        Assert.Equal(reports[0], await catalog.OpenReportAsync(reporter, ModerationTarget.Release, target));
        Assert.Null(await catalog.OpenReportAsync(reporter, ModerationTarget.Listing, target));

        var seen = new List<Guid>();
        string? after = null;
        do
        {
            var page = await catalog.OpenReportsAsync(2, after);
            seen.AddRange(page.Items.Select(r => r.Id));
            after = page.NextCursor;
        }
        while (after is not null);
        Assert.Equal(reports.Select(r => r.Id), seen);

        await catalog.CounterNoticeAsync(reports[1].Id, "I have the rights");
        Assert.Equal(reports[1] with { CounterNotice = "I have the rights" }, await catalog.GetReportAsync(reports[1].Id));
        Assert.Equal(4, await catalog.ResolveAsync(ModerationTarget.Release, target, "hide: spam", Start.AddHours(1)));
        Assert.Equal([reports[4].Id], (await catalog.OpenReportsAsync(10, null)).Items.Select(r => r.Id));
        Assert.Equal(("hide: spam", Start.AddHours(1)), ((await catalog.GetReportAsync(reports[0].Id))!.Resolution, (await catalog.GetReportAsync(reports[0].Id))!.ResolvedAt!.Value));
        Assert.Null(await catalog.OpenReportAsync(reporter, ModerationTarget.Release, target));
    }

    [Fact]
    public async Task Actions_AreLoggedNewestFirst_PerTargetOrAll()
    {
        var catalog = new ModerationCatalog(await DatabaseAsync());
        var (actor, target) = (Guid.NewGuid(), Guid.NewGuid());
        var entries = new[]
        {
            new ModerationEntry(Guid.NewGuid(), ModerationTarget.User, target, ModerationAction.Suspend, "spam", actor, Start, Start.AddDays(3)),
            new ModerationEntry(Guid.NewGuid(), ModerationTarget.User, target, ModerationAction.Ban, "more spam", actor, Start.AddHours(1), null),
            new ModerationEntry(Guid.NewGuid(), ModerationTarget.Release, Guid.NewGuid(), ModerationAction.Hide, "copyright", actor, Start.AddHours(2), null),
        };
        foreach (var entry in entries)
        {
            await catalog.AddActionAsync(entry);
        }

        Assert.Equal([entries[1], entries[0]], (await catalog.ActionsAsync(ModerationTarget.User, target, 10, null)).Items);
        var first = await catalog.ActionsAsync(null, null, 2, null);
        Assert.Equal([entries[2], entries[1]], first.Items);
        Assert.Equal([entries[0]], (await catalog.ActionsAsync(null, null, 2, first.NextCursor)).Items);
    }
}

public sealed class SqliteModerationCatalogTests : ModerationCatalogContractTests
{
    protected override Task<SqlDialect> DatabaseAsync() =>
        Task.FromResult<SqlDialect>(new SqliteDialect(new SqliteDatabase(Path.Combine(TestServices.TempDirectory(), "moderation.db"))));
}

public sealed class PostgresModerationCatalogTests : ModerationCatalogContractTests
{
    protected override async Task<SqlDialect> DatabaseAsync() =>
        new PostgresDialect(PostgresDatabase.Create(await TestServices.CreatePostgresDatabaseAsync()));
}
