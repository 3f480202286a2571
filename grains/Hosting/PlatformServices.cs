using Jacameno.AI.Lyrics;
using Jacameno.Assets;
using Jacameno.Jobs;
using Jacameno.Marketplace;
using Jacameno.Projects.Interchange;
using Jacameno.Streaming;
using Jacameno.Uploads;
using Jacameno.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Jacameno.Hosting;

public static class PlatformServices
{
    /// <summary>
    /// What silos and frontends share: the stores, the features' validated settings, the payment providers and
    /// the services the edge calls without a grain in between (the DAWproject import, the payment webhooks).
    /// </summary>
    public static IServiceCollection AddJacamenoServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddJacamenoStores(configuration);
        services.AddValidatedOptions<AssetOptions, AssetOptionsValidator>(AssetOptions.SectionName);
        services.AddValidatedOptions<JobOptions, JobOptionsValidator>(JobOptions.SectionName);
        services.AddValidatedOptions<LyricsOptions, LyricsOptionsValidator>(LyricsOptions.SectionName);
        services.AddValidatedOptions<MarketOptions, MarketOptionsValidator>(MarketOptions.SectionName);
        services.AddValidatedOptions<PremiumOptions, PremiumOptionsValidator>(PremiumOptions.SectionName);
        services.AddValidatedOptions<AccountOptions, AccountOptionsValidator>(AccountOptions.SectionName);
        services.AddValidatedOptions<UploadOptions, UploadOptionsValidator>(UploadOptions.SectionName);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPaymentProvider, ManualPayments>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IPaymentProvider, StripePayments>());
        services.TryAddSingleton<IStripeWebhook, StripeWebhook>();
        services.TryAddSingleton<IPremiumBilling, StripePremiumBilling>();
        services.TryAddSingleton<IAssetUploads, AssetUploads>();
        services.TryAddSingleton<IReleaseArtwork, ReleaseArtwork>();
        services.TryAddSingleton<IDawProjectInterchange, DawProjectInterchange>();
        return services;
    }

    private static void AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
    }
}
