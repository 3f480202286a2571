using Jacameno.Marketplace;
using Jacameno.Moderation;
using Jacameno.Storage.Blobs;
using Jacameno.Storage.Catalog;
using Jacameno.Storage.Mail;
using Jacameno.Storage.OpLog;
using Jacameno.Storage.Push;
using Jacameno.Storage.Postgres;
using Jacameno.Storage.Sqlite;
using Jacameno.Streaming;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jacameno.Hosting;

public static class StoreHostingExtensions
{
    /// <summary>Reads the <c>Jacameno</c> section once, for wiring decisions made before the container is built.</summary>
    public static JacamenoOptions GetJacamenoOptions(this IConfiguration configuration)
    {
        var options = configuration.GetSection(JacamenoOptions.SectionName).Get<JacamenoOptions>() ?? new JacamenoOptions();
        var result = new JacamenoOptionsValidator().Validate(null, options);
        return result.Failed ? throw new OptionsValidationException(JacamenoOptions.SectionName, typeof(JacamenoOptions), result.Failures) : options;
    }

    public static string RequiredConnectionString(this IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new OptionsValidationException(name, typeof(JacamenoOptions), [$"ConnectionStrings:{name} must be set in cluster mode."]);

    /// <summary>
    /// The stores that silos and frontends share: the catalog and the blob store, by mode
    /// (SQLite and a folder embedded; PostgreSQL and S3 in a cluster).
    /// </summary>
    public static IServiceCollection AddJacamenoStores(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetJacamenoOptions();
        services.AddOptions<JacamenoOptions>().BindConfiguration(JacamenoOptions.SectionName).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<JacamenoOptions>, JacamenoOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IStreamingCatalog, StreamingCatalog>();
        services.TryAddSingleton<IMarketCatalog, MarketCatalog>();
        services.TryAddSingleton<IMailOutbox, MailOutbox>();
        services.TryAddSingleton<PushOutbox>();
        services.TryAddSingleton<IPushOutbox>(sp => sp.GetRequiredService<PushOutbox>());
        services.TryAddSingleton<IPushDevices, PushDevices>();
        services.TryAddSingleton<IModerationCatalog, ModerationCatalog>();
        if (options.Mode == PlatformMode.Embedded)
        {
            services.TryAddSingleton(new SqliteDatabase(options.DataPath("jacameno.db")));
            services.TryAddSingleton<ICatalog, SqliteCatalog>();
            services.TryAddSingleton<IOpLog, SqliteOpLog>();
            services.TryAddSingleton<SqlDialect, SqliteDialect>();
            services.TryAddSingleton(sp => new FolderBlobStore(
                options.DataPath("blobs"), KeyFile.LoadOrCreate(options.DataPath("keys", "blob-signing.key")), sp.GetRequiredService<TimeProvider>()));
            services.TryAddSingleton<IBlobStore>(sp => sp.GetRequiredService<FolderBlobStore>());
            services.TryAddSingleton(sp => new EmbeddedBackup(sp.GetRequiredService<SqliteDatabase>(), options, sp.GetRequiredService<TimeProvider>()));
        }
        else
        {
            services.TryAddSingleton(PostgresDatabase.Create(configuration.RequiredConnectionString("postgres")));
            services.TryAddSingleton<ICatalog, PostgresCatalog>();
            services.TryAddSingleton<IOpLog, PostgresOpLog>();
            services.TryAddSingleton<SqlDialect, PostgresDialect>();
            services.TryAddSingleton(S3BlobStore.CreateClient(options.S3));
            services.TryAddSingleton<IBlobStore>(sp => new S3BlobStore(sp.GetRequiredService<Amazon.S3.IAmazonS3>(), options.S3));
        }

        return services;
    }
}
