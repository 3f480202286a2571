using Microsoft.Extensions.DependencyInjection;

namespace Jacameno.Grains.Tests;

/// <summary>One contract for every reminder table (SQLite ours; PostgreSQL through Orleans ADO.NET).</summary>
public abstract class ReminderTableContractTests(SiloFixture silo)
{
    private IReminderTable Table => silo.Services.GetRequiredService<IReminderTable>();

    private static GrainId NewGrain() => GrainId.Create("contract-reminder", Guid.NewGuid().ToString("N"));

    private static ReminderEntry Entry(GrainId grain, string name, TimeSpan period) => new()
    {
        GrainId = grain,
        ReminderName = name,
        StartAt = new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc),
        Period = period,
    };

    [Fact]
    public async Task Upsert_ThenRead_RoundTrips_AndUpdateChangesETag()
    {
        var grain = NewGrain();
        var etag = await Table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(5)));
        Assert.False(string.IsNullOrEmpty(etag));

        var read = await Table.ReadRow(grain, "tick");
        Assert.NotNull(read);
        Assert.Equal((grain, "tick", TimeSpan.FromMinutes(5), etag), (read.GrainId, read.ReminderName, read.Period, read.ETag));
        Assert.Equal(new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc), read.StartAt.ToUniversalTime());

        var updated = await Table.UpsertRow(Entry(grain, "tick", TimeSpan.FromMinutes(7)));
        Assert.NotEqual(etag, updated);
        Assert.Equal(TimeSpan.FromMinutes(7), (await Table.ReadRow(grain, "tick"))!.Period);
    }

    [Fact]
    public async Task ReadRow_Missing_IsNull()
    {
        Assert.Null(await Table.ReadRow(NewGrain(), "nothing"));
    }

    [Fact]
    public async Task ReadRows_ByGrain_OnlyThatGrains()
    {
        var (one, other) = (NewGrain(), NewGrain());
        await Table.UpsertRow(Entry(one, "a", TimeSpan.FromMinutes(1)));
        await Table.UpsertRow(Entry(one, "b", TimeSpan.FromMinutes(1)));
        await Table.UpsertRow(Entry(other, "a", TimeSpan.FromMinutes(1)));

        var rows = await Table.ReadRows(one);
        Assert.Equal(["a", "b"], rows.Reminders.Select(r => r.ReminderName).Order());
        Assert.All(rows.Reminders, r => Assert.Equal(one, r.GrainId));
    }

    [Fact]
    public async Task ReadRows_ByRingRange_HonoursBoundsAndWrapsAround()
    {
        var grain = NewGrain();
        await Table.UpsertRow(Entry(grain, "ring", TimeSpan.FromMinutes(1)));
        var hash = grain.GetUniformHashCode();

        // (hash - 1, hash] holds the grain; (hash, hash + 1] does not.
        Assert.Contains((await Table.ReadRows(hash - 1, hash)).Reminders, r => r.GrainId == grain);
        Assert.DoesNotContain((await Table.ReadRows(hash, hash + 1)).Reminders, r => r.GrainId == grain);

        // A range with begin >= end wraps around the ring: (hash, hash - 1] is everything but hash itself,
        // and (hash - 1, hash - 2] is everything but hash - 1, so it holds the grain.
        Assert.DoesNotContain((await Table.ReadRows(hash, hash - 1)).Reminders, r => r.GrainId == grain);
        Assert.Contains((await Table.ReadRows(hash - 1, hash - 2)).Reminders, r => r.GrainId == grain);
    }

    [Fact]
    public async Task Remove_WithStaleETag_KeepsTheRow_WithCurrentETag_RemovesIt()
    {
        var grain = NewGrain();
        var first = await Table.UpsertRow(Entry(grain, "once", TimeSpan.FromMinutes(1))) ?? throw new InvalidOperationException("no etag");
        var current = await Table.UpsertRow(Entry(grain, "once", TimeSpan.FromMinutes(2))) ?? throw new InvalidOperationException("no etag");

        Assert.False(await Table.RemoveRow(grain, "once", first));
        Assert.NotNull(await Table.ReadRow(grain, "once"));

        Assert.True(await Table.RemoveRow(grain, "once", current));
        Assert.Null(await Table.ReadRow(grain, "once"));
        Assert.False(await Table.RemoveRow(grain, "once", current));
    }
}

public sealed class SqliteReminderTableTests(EmbeddedSiloFixture silo) : ReminderTableContractTests(silo), IClassFixture<EmbeddedSiloFixture>;

public sealed class PostgresReminderTableTests(ClusterSiloFixture silo) : ReminderTableContractTests(silo), IClassFixture<ClusterSiloFixture>;
