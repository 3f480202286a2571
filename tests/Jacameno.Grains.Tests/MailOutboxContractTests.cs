using Jacameno.Storage.Catalog;
using Jacameno.Storage.Mail;
using Jacameno.Storage.Postgres;
using Jacameno.Storage.Sqlite;
using Jacameno.Tests;
using Microsoft.Extensions.Time.Testing;

namespace Jacameno.Grains.Tests;

/// <summary>One contract for the mail outbox on SQLite and PostgreSQL: claims are leases, oldest first, never shared.</summary>
public abstract class MailOutboxContractTests
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));

    /// <summary>An empty database of its own for each test.</summary>
    protected abstract Task<SqlDialect> DatabaseAsync();

    private async Task<MailOutbox> OutboxAsync() => new(await DatabaseAsync(), clock);

    private static MailMessage Mail(string to) => new(to, "Subject " + to, "text", "<p>html</p>");

    [Fact]
    public async Task Claims_AreOldestFirst_LeasedUntilRetriedOrExpired_AndGoneOnceDeleted()
    {
        var outbox = await OutboxAsync();
        var to = $"{Guid.NewGuid():N}@example.org";
        foreach (var i in Enumerable.Range(0, 3))
        {
            await outbox.EnqueueAsync(Mail($"{i}-{to}"));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        var first = await outbox.ClaimAsync(2, TimeSpan.FromMinutes(2));
        Assert.Equal([$"0-{to}", $"1-{to}"], first.Select(m => m.Message.To));
        Assert.All(first, m => Assert.Equal(1, m.Attempts));
        var second = await outbox.ClaimAsync(10, TimeSpan.FromMinutes(2));
        Assert.Equal([$"2-{to}"], second.Select(m => m.Message.To));
        Assert.Empty(await outbox.ClaimAsync(10, TimeSpan.FromMinutes(2)));

        // One is put back for later, one is sent, one is held by a sender that died: its lease runs out.
        await outbox.RetryAsync(first[0].Id, clock.GetUtcNow() + TimeSpan.FromSeconds(30), "connection refused");
        await outbox.DeleteAsync([first[1].Id]);
        clock.Advance(TimeSpan.FromSeconds(30));
        var retried = Assert.Single(await outbox.ClaimAsync(10, TimeSpan.FromMinutes(2)));
        Assert.Equal((first[0].Id, 2), (retried.Id, retried.Attempts));
        clock.Advance(TimeSpan.FromMinutes(2));
        var expired = await outbox.ClaimAsync(10, TimeSpan.FromMinutes(2));
        Assert.Equal(new[] { first[0].Id, second[0].Id }.Order(), expired.Select(m => m.Id).Order());
        Assert.Equal(new MailMessage($"2-{to}", $"Subject 2-{to}", "text", "<p>html</p>"), second[0].Message);
    }

    [Fact]
    public async Task ConcurrentSenders_NeverClaimTheSameMail()
    {
        var outbox = await OutboxAsync();
        var to = $"{Guid.NewGuid():N}@example.org";
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => outbox.EnqueueAsync(Mail($"{i}-{to}"))));
        var claimed = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            var mine = new List<Guid>();
            while (await outbox.ClaimAsync(7, TimeSpan.FromMinutes(2)) is { Count: > 0 } batch)
            {
                mine.AddRange(batch.Where(m => m.Message.To.EndsWith(to, StringComparison.Ordinal)).Select(m => m.Id));
            }

            return mine;
        }));
        var all = claimed.SelectMany(c => c).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
    }
}

public sealed class SqliteMailOutboxTests : MailOutboxContractTests
{
    private readonly SqliteDialect db = new(new SqliteDatabase(Path.Combine(TestServices.TempDirectory(), "outbox.db")));

    protected override Task<SqlDialect> DatabaseAsync() => Task.FromResult<SqlDialect>(db);
}

public sealed class PostgresMailOutboxTests : MailOutboxContractTests
{
    // A database per test: claims take whatever is due, so tests must not see each other's mail.
    protected override async Task<SqlDialect> DatabaseAsync() =>
        new PostgresDialect(PostgresDatabase.Create(await TestServices.CreatePostgresDatabaseAsync()));
}
