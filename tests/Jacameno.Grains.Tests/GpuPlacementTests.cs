using Jacameno.Hosting;
using Jacameno.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Jacameno.Grains.Tests;

[Alias("jacameno.tests.gpu-probe")]
public interface IGpuProbeGrain : IGrainWithGuidKey
{
    [Alias("where")]
    Task<string> WhereAsync();
}

[PreferGpuSilo]
public sealed class GpuProbeGrain(ILocalSiloDetails silo) : Grain, IGpuProbeGrain
{
    public Task<string> WhereAsync() => Task.FromResult(silo.SiloAddress.ToString());
}

/// <summary>Two real silos on Redis membership and PostgreSQL: [PreferGpuSilo] grains land on the gpu silo only.</summary>
public sealed class GpuPlacementTests
{
    private static async Task<IHost> StartSiloAsync(string postgres, string clusterId, bool gpu)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(ClusterSiloFixture.ClusterConfiguration(postgres, clusterId, gpu));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.AddJacamenoSilo(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    private static async Task WaitForSilosAsync(IHost host, int count)
    {
        var management = host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        for (var i = 0; i < 150 && (await management.GetHosts(onlyActive: true)).Count < count; i++)
        {
            await Task.Delay(200);
        }

        Assert.Equal(count, (await management.GetHosts(onlyActive: true)).Count);
    }

    [Fact]
    public async Task PreferGpuSilo_WithAGpuSilo_PlacesEveryActivationThere()
    {
        var postgres = await TestServices.CreatePostgresDatabaseAsync();
        var clusterId = "gpu-" + Guid.NewGuid().ToString("N")[..8];
        using var plain = await StartSiloAsync(postgres, clusterId, gpu: false);
        using var gpu = await StartSiloAsync(postgres, clusterId, gpu: true);
        try
        {
            await WaitForSilosAsync(plain, 2);
            var gpuAddress = gpu.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString();
            var grains = plain.Services.GetRequiredService<IGrainFactory>();
            // Membership can list the gpu silo a moment before the plain silo's placement has its metadata (seen on a
            // loaded 2-core CI machine): wait until one activation lands there, then every later one must.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (await grains.GetGrain<IGpuProbeGrain>(Guid.NewGuid()).WhereAsync() != gpuAddress && DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }

            var places = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => grains.GetGrain<IGpuProbeGrain>(Guid.NewGuid()).WhereAsync()));
            Assert.All(places, p => Assert.Equal(gpuAddress, p));

            // The job system's workers too: activated (a cancel is enough), every one is on the gpu silo.
            await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => grains.GetGrain<Jacameno.Jobs.IJobWorkerGrain>($"{Guid.NewGuid():N}/1").CancelAsync()));
            var workers = (await grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics()).Where(g => g.GrainId.Type.ToString() == "jobworker").ToList();
            Assert.Equal(10, workers.Count);
            Assert.All(workers, w => Assert.Equal(gpuAddress, w.SiloAddress.ToString()));
        }
        finally
        {
            await gpu.StopAsync();
            await plain.StopAsync();
        }
    }

    [Fact]
    public async Task PreferGpuSilo_WithoutGpuSilos_FallsBackToAnySilo()
    {
        var postgres = await TestServices.CreatePostgresDatabaseAsync();
        var clusterId = "nogpu-" + Guid.NewGuid().ToString("N")[..8];
        using var first = await StartSiloAsync(postgres, clusterId, gpu: false);
        using var second = await StartSiloAsync(postgres, clusterId, gpu: false);
        try
        {
            await WaitForSilosAsync(first, 2);
            var grains = first.Services.GetRequiredService<IGrainFactory>();
            var places = await Task.WhenAll(Enumerable.Range(0, 40).Select(_ => grains.GetGrain<IGpuProbeGrain>(Guid.NewGuid()).WhereAsync()));
            // Without a gpu silo the filter keeps every silo: activations succeed wherever the placement puts them.
            var silos = new[] { first, second }.Select(h => h.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToString()).ToList();
            Assert.All(places, p => Assert.Contains(p, silos));
        }
        finally
        {
            await second.StopAsync();
            await first.StopAsync();
        }
    }
}
