using Jacameno.Projects;
using Jacameno.Storage.OpLog;
using Microsoft.Extensions.DependencyInjection;

namespace Jacameno.Grains.Tests;

/// <summary>One contract for every op log: appends are atomic, versions unique, reads ordered and paged.</summary>
public abstract class OpLogContractTests(SiloFixture silo)
{
    private IOpLog Log => silo.Services.GetRequiredService<IOpLog>();

    private static AppliedOp Op(long version, string payload = "{}") =>
        new(version, Guid.NewGuid(), "client", $"op-{version}", "track.add", payload, new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero).AddSeconds(version));

    [Fact]
    public async Task Append_ThenRead_InOrder_FromAVersion_Paged()
    {
        var project = Guid.NewGuid();
        await Log.AppendAsync(project, [Op(1, "{\"name\":\"ünï\"}"), Op(2), Op(3)]);
        await Log.AppendAsync(project, [Op(4), Op(5)]);

        var all = await Log.ReadAsync(project, 0, 100);
        Assert.Equal([1L, 2, 3, 4, 5], all.Select(o => o.Version));
        Assert.Equal(Op(1, "{\"name\":\"ünï\"}") with { UserId = all[0].UserId }, all[0]);

        Assert.Equal([3L, 4], (await Log.ReadAsync(project, 2, 2)).Select(o => o.Version));
        Assert.Empty(await Log.ReadAsync(project, 5, 10));
        Assert.Empty(await Log.ReadAsync(Guid.NewGuid(), 0, 10));
    }

    [Fact]
    public async Task Append_ATakenVersion_Conflicts_AndWritesNothingOfTheBatch()
    {
        var project = Guid.NewGuid();
        await Log.AppendAsync(project, [Op(1), Op(2)]);

        await Assert.ThrowsAsync<OpLogConflictException>(() => Log.AppendAsync(project, [Op(3), Op(2)]));
        Assert.Equal([1L, 2], (await Log.ReadAsync(project, 0, 10)).Select(o => o.Version));
    }

    /// <summary>Appends of many projects at once (PostgreSQL writes them together): all land, and a conflict fails only its own append.</summary>
    [Fact]
    public async Task ConcurrentAppends_OfManyProjects_AllLand_AndAConflictFailsOnlyItsOwn()
    {
        var projects = Enumerable.Range(0, 20).Select(_ => Guid.NewGuid()).ToList();
        var taken = projects[7];
        await Log.AppendAsync(taken, [Op(1)]);

        // Every project appends versions 2-3 and 4 without waiting; the taken one appends version 1 again instead of 4.
        var appends = projects.SelectMany(p => new[] { (Versions: new long[] { 2, 3 }, Conflicts: false), (Versions: p == taken ? [1] : [4], Conflicts: p == taken) }
            .Select(a => (a.Conflicts, Task: Log.AppendAsync(p, [.. a.Versions.Select(v => Op(v))])))).ToList();
        foreach (var (conflicts, task) in appends)
        {
            if (conflicts)
            {
                await Assert.ThrowsAsync<OpLogConflictException>(() => task);
            }
            else
            {
                await task;
            }
        }

        foreach (var project in projects)
        {
            var versions = (await Log.ReadAsync(project, 0, 10)).Select(o => o.Version).ToList();
            Assert.Equal(project == taken ? [1L, 2, 3] : [2L, 3, 4], versions);
        }
    }

    [Fact]
    public async Task Delete_RemovesOnlyThatProject()
    {
        var (gone, kept) = (Guid.NewGuid(), Guid.NewGuid());
        await Log.AppendAsync(gone, [Op(1)]);
        await Log.AppendAsync(kept, [Op(1)]);

        await Log.DeleteAsync(gone);
        Assert.Empty(await Log.ReadAsync(gone, 0, 10));
        Assert.Single(await Log.ReadAsync(kept, 0, 10));
    }
}

public sealed class SqliteOpLogTests(EmbeddedSiloFixture silo) : OpLogContractTests(silo), IClassFixture<EmbeddedSiloFixture>;

public sealed class PostgresOpLogTests(ClusterSiloFixture silo) : OpLogContractTests(silo), IClassFixture<ClusterSiloFixture>;
