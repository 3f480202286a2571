using Jacameno.Common;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Jacameno.Grains.Tests;

[GenerateSerializer, Alias("jacameno.tests.counter-state")]
public sealed class CounterState
{
    [Id(0)] public int Value { get; set; }
    [Id(1)] public string Label { get; set; } = "";
}

/// <summary>One contract for every grain storage: state round-trips, and a stale write or clear never lands.</summary>
public abstract class GrainStorageContractTests(SiloFixture silo)
{
    private IGrainStorage Storage => silo.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);

    private static GrainId NewGrain() => GrainId.Create("contract", Guid.NewGuid().ToString("N"));

    private async Task<GrainState<CounterState>> ReadAsync(GrainId id)
    {
        var state = new GrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("counter", id, state);
        return state;
    }

    [Fact]
    public async Task Read_Missing_RecordDoesNotExist()
    {
        var state = await ReadAsync(NewGrain());
        Assert.False(state.RecordExists);
        Assert.Equal(0, state.State!.Value);
    }

    [Fact]
    public async Task Write_ThenRead_RoundTripsStateAndETag()
    {
        var id = NewGrain();
        var state = new GrainState<CounterState>(new CounterState { Value = 42, Label = "ünïcødé" });
        await Storage.WriteStateAsync("counter", id, state);

        var read = await ReadAsync(id);
        Assert.True(read.RecordExists);
        Assert.Equal(42, read.State!.Value);
        Assert.Equal("ünïcødé", read.State!.Label);
        Assert.Equal(state.ETag, read.ETag);
    }

    [Fact]
    public async Task Write_StaleETag_ThrowsInconsistentStateAndKeepsStoredState()
    {
        var id = NewGrain();
        var first = new GrainState<CounterState>(new CounterState { Value = 1 });
        await Storage.WriteStateAsync("counter", id, first);
        var second = await ReadAsync(id);
        second.State!.Value = 2;
        await Storage.WriteStateAsync("counter", id, second);

        first.State!.Value = 99;
        await Assert.ThrowsAsync<InconsistentStateException>(() => Storage.WriteStateAsync("counter", id, first));
        Assert.Equal(2, (await ReadAsync(id)).State!.Value);
    }

    [Fact]
    public async Task Write_NewRecordOverExisting_ThrowsInconsistentState()
    {
        var id = NewGrain();
        await Storage.WriteStateAsync("counter", id, new GrainState<CounterState>(new CounterState { Value = 1 }));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            Storage.WriteStateAsync("counter", id, new GrainState<CounterState>(new CounterState { Value = 5 })));
        Assert.Equal(1, (await ReadAsync(id)).State!.Value);
    }

    [Fact]
    public async Task Clear_ThenRead_RecordGone_AndWritableAgain()
    {
        var id = NewGrain();
        var state = new GrainState<CounterState>(new CounterState { Value = 7 });
        await Storage.WriteStateAsync("counter", id, state);
        await Storage.ClearStateAsync("counter", id, state);

        var read = await ReadAsync(id);
        Assert.False(read.RecordExists);
        read.State!.Value = 8;
        await Storage.WriteStateAsync("counter", id, read);
        Assert.Equal(8, (await ReadAsync(id)).State!.Value);
    }

    [Fact]
    public async Task StateNames_AreSeparate()
    {
        var id = NewGrain();
        await Storage.WriteStateAsync("a", id, new GrainState<CounterState>(new CounterState { Value = 1 }));
        var other = new GrainState<CounterState>(new CounterState());
        await Storage.ReadStateAsync("b", id, other);
        Assert.False(other.RecordExists);
    }

    [Fact]
    public async Task ConcurrentGrains_AllWritesLand()
    {
        var ids = Enumerable.Range(0, 16).Select(_ => NewGrain()).ToList();
        await Task.WhenAll(ids.Select(async id =>
        {
            var state = new GrainState<CounterState>(new CounterState());
            for (var i = 1; i <= 5; i++)
            {
                state.State!.Value = i;
                await Storage.WriteStateAsync("counter", id, state);
            }
        }));

        foreach (var id in ids)
        {
            Assert.Equal(5, (await ReadAsync(id)).State!.Value);
        }
    }

    [Fact]
    public async Task ConcurrentWritersOfOneRecord_ExactlyOneWins()
    {
        var id = NewGrain();
        var seed = new GrainState<CounterState>(new CounterState());
        await Storage.WriteStateAsync("counter", id, seed);
        var writers = Enumerable.Range(1, 8).Select(i => new GrainState<CounterState>(new CounterState { Value = i }) { ETag = seed.ETag, RecordExists = true }).ToList();
        var outcomes = await Task.WhenAll(writers.Select(async w =>
        {
            try
            {
                await Storage.WriteStateAsync("counter", id, w);
                return true;
            }
            catch (InconsistentStateException)
            {
                return false;
            }
        }));

        Assert.Single(outcomes, won => won);
        var winner = writers[Array.IndexOf(outcomes, true)];
        Assert.Equal(winner.State!.Value, (await ReadAsync(id)).State!.Value);
    }
}

public sealed class SqliteGrainStorageTests(EmbeddedSiloFixture silo) : GrainStorageContractTests(silo), IClassFixture<EmbeddedSiloFixture>;

public sealed class PostgresGrainStorageTests(ClusterSiloFixture silo) : GrainStorageContractTests(silo), IClassFixture<ClusterSiloFixture>;
