using System.Net;
using Jacameno.Common;
using Jacameno.Storage.Blobs;
using Jacameno.Storage.Postgres;
using Jacameno.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Placement;
using Orleans.Runtime.Hosting;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Jacameno.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// How often the memory streams' agents poll their queues (100 ms by default in Orleans, so every stream event waited about 100 ms). In a cluster, 5 ms
    /// keeps the fan-out of edits to other frontends near 10 ms. Embedded mode has one frontend, which delivers
    /// edits from the grain's answer, so its streams carry only presence, joins and notifications: 50 ms is
    /// quick enough for those, and an idle server no longer spends about 7 % of a core waking up to poll.
    /// </summary>
    public static TimeSpan StreamPollPeriod(PlatformMode mode) => TimeSpan.FromMilliseconds(mode == PlatformMode.Embedded ? 50 : 5);

    /// <summary>
    /// Everything a Jacameno silo needs, by mode: clustering, grain storage, reminders, streams,
    /// the gpu metadata and placement filter, and the shared stores.
    /// </summary>
    public static ISiloBuilder AddJacamenoSilo(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = configuration.GetJacamenoOptions();
        var services = silo.Services;
        services.AddJacamenoServices(configuration);
        if (options.InlineSockets)
        {
            services.UseInlineOrleansSockets();
        }

        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = options.ClusterId;
            o.ServiceId = options.ClusterId;
        });
        // Failure detection is tunable (Jacameno:Silo:Membership:ProbeTimeout, NumMissedProbesLimit, ...).
        services.Configure<ClusterMembershipOptions>(configuration.GetSection("Jacameno:Silo:Membership"));
        // Plugins are scanned before the silo starts (from the cache when nothing changed), so that its metadata
        // can say which it has and renders needing them are placed here.
        var plugins = Plugins.InstalledPlugins.Load(configuration);
        services.AddSingleton(plugins);
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, Plugins.PluginScanLog>();
        silo.UseSiloMetadata(new Dictionary<string, string>
        {
            [GpuSiloPlacementFilterDirector.MetadataKey] = GpuDetection.Resolve(options.Silo.Gpu) ? "true" : "false",
            [Plugins.InstalledPlugins.MetadataKey] = plugins.MetadataValue,
        });
        services.AddPlacementFilter<GpuSiloPlacementFilterStrategy, GpuSiloPlacementFilterDirector>(ServiceLifetime.Singleton);
        services.AddPlacementFilter<Plugins.PluginSiloPlacementFilterStrategy, Plugins.PluginSiloPlacementFilterDirector>(ServiceLifetime.Singleton);
        services.AddSingleton<Jobs.JobSlots>();
        // Made with the silo, so its capacity is in the metrics before the first job.
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<Jobs.JobSlots>());
        services.AddSingleton<Assets.AssetProcessingSlots>();
        Jobs.JobHandlers.AddJobHandlers(services);

        // Stable JSON for stored state: no assembly-qualified type names, so renames keep stored state readable.
        silo.UseSystemTextJsonGrainStorageSerializer();
        // A trace goes on from the caller (an HTTP request, another grain) through every grain call; no spans without a listener.
        silo.AddActivityPropagation();
        silo.AddReminders();
        // Jobs may wake sooner than Orleans' default minimum of a minute (Jacameno:Jobs:ReminderPeriod).
        services.AddOptions<ReminderOptions>().Configure<Microsoft.Extensions.Options.IOptions<Jobs.JobOptions>>((o, jobs) =>
            o.MinimumReminderPeriod = jobs.Value.ReminderPeriod < o.MinimumReminderPeriod ? jobs.Value.ReminderPeriod : o.MinimumReminderPeriod);
        // The agent takes one event per queue per poll by default: at 1 000 edits/s that queues up and edits
        // arrive a second late (benchmarks/history.md). Taking up to 256 per poll keeps the queues empty.
        silo.AddMemoryStreams(StreamNames.Provider, streams =>
        {
            streams.ConfigurePartitioning(StreamNames.Queues);
            streams.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = StreamPollPeriod(options.Mode);
                o.BatchContainerBatchSize = 256;
            }));
        });
        silo.AddStreamFilter<Projects.ProjectStreamFilter>(StreamNames.Provider);

        if (options.Mode == PlatformMode.Embedded)
        {
            // The frontend in this process is the only client: no gateway, and a silo port nobody else has to know.
            silo.UseLocalhostClustering(options.Silo.PortFor(options.Mode), options.Silo.GatewayPortFor(options.Mode), serviceId: options.ClusterId, clusterId: options.ClusterId);
            foreach (var name in new[] { StorageNames.Grains, StorageNames.PubSub })
            {
                services.AddGrainStorage(name, (sp, providerName) => new SqliteGrainStorage(
                    providerName,
                    sp.GetRequiredService<SqliteDatabase>(),
                    StorageSerializer(sp, providerName),
                    sp.GetRequiredService<IActivatorProvider>()));
            }

            services.AddSingleton<IReminderTable, SqliteReminderTable>();
        }
        else
        {
            var postgres = configuration.RequiredConnectionString("postgres");
            silo.UseRedisClustering(configuration.RequiredConnectionString("redis"));
            var address = options.Silo.AdvertisedAddress is { Length: > 0 } advertised ? IPAddress.Parse(advertised) : IPAddress.Loopback;
            silo.ConfigureEndpoints(address, options.Silo.PortFor(options.Mode), options.Silo.GatewayPortFor(options.Mode), listenOnAnyHostAddress: true);
            if (options.Silo.Kubernetes)
            {
                silo.UseKubernetesHosting();
            }
            foreach (var name in new[] { StorageNames.Grains, StorageNames.PubSub })
            {
                silo.AddAdoNetGrainStorage(name, (OptionsBuilder<AdoNetGrainStorageOptions> builder) => builder.Configure<IServiceProvider>((o, sp) =>
                {
                    o.Invariant = "Npgsql";
                    o.ConnectionString = postgres;
                    o.GrainStorageSerializer = StorageSerializer(sp, name);
                }));
            }

            silo.UseAdoNetReminderService(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = postgres;
            });

            // The Orleans ADO.NET providers read their SQL from tables our migrations create, and the bucket must
            // exist before the first upload: both happen before any provider starts.
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, ClusterStoresInitializer>();
        }

        return silo;
    }

    /// <summary>
    /// Our grains' state is stored as System.Text.Json (readable, no type names). The stream subscription tables
    /// (PubSub) hold Orleans' own types, which System.Text.Json writes but cannot read back (dotnet/orleans#8588):
    /// a project whose subscription grain had been collected could not be opened live again. They are stored with
    /// Orleans' serializer.
    /// </summary>
    private static IGrainStorageSerializer StorageSerializer(IServiceProvider services, string providerName) =>
        providerName == StorageNames.PubSub
            ? new OrleansGrainStorageSerializer(services.GetRequiredService<Orleans.Serialization.Serializer>())
            : services.GetRequiredService<IGrainStorageSerializer>();

    private sealed class ClusterStoresInitializer(PostgresDatabase database, IBlobStore blobs) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(ClusterStoresInitializer), ServiceLifecycleStage.RuntimeInitialize, async cancellationToken =>
            {
                await database.EnsureMigratedAsync(cancellationToken);
                if (blobs is S3BlobStore s3)
                {
                    await s3.EnsureBucketAsync(cancellationToken);
                }
            });
    }
}
