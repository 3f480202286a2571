using Jacameno.Infrastructure.OpLog;
using Jacameno.Projects;
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
