using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jacameno.Jobs;

public static class JobHandlers
{
    /// <summary>The workers of every job kind this silo runs.</summary>
    public static IServiceCollection AddJobHandlers(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, Rendering.RenderJob>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, AI.AnalysisJob>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, AI.MasteringJob>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, AI.Lyrics.LyricsJob>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, AI.MixJob>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, Streaming.ReleaseRenditionsJob>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, Marketplace.ListingFilesJob>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, Users.AccountExportJob>());
        return services;
    }
}
