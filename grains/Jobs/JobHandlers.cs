using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Jacameno.Jobs;

public static class JobHandlers
{
    /// <summary>The workers of every job kind this silo runs.</summary>
    public static IServiceCollection AddJobHandlers(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, Rendering.RenderJob>());
        return services;
    }
}
