using Jacameno.Frontend.GraphQL;
using Jacameno.Hosting;
using Microsoft.Extensions.Options;

namespace Jacameno.Frontend.Push;

public static class PushHosting
{
    /// <summary>The device registry, preferences, the senders that are configured, and the outbox sender every frontend runs.</summary>
    public static IServiceCollection AddJacamenoPush(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PushOptions>().BindConfiguration(PushOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PushOptions>, PushOptionsValidator>();
        var options = configuration.GetSection(PushOptions.SectionName).Get<PushOptions>() ?? new PushOptions();
        services.AddSingleton<PushHttp>();
        services.AddSingleton<PushMessages>();
        if (VapidKeys.Load(options, configuration.GetJacamenoOptions()) is { } vapid)
        {
            services.AddSingleton(vapid);
            services.AddSingleton<IPushSender, WebPushSender>();
        }

        if (options.Fcm.ServiceAccountJson is { Length: > 0 } || options.Fcm.ServiceAccountFile is { Length: > 0 })
        {
            services.AddSingleton<IPushSender>(sp => new FcmSender(sp.GetRequiredService<PushHttp>(), options.Fcm, sp.GetRequiredService<TimeProvider>()));
        }

        if (options.Apns.Key is { Length: > 0 } || options.Apns.KeyFile is { Length: > 0 })
        {
            services.AddSingleton<IPushSender>(sp => new ApnsSender(sp.GetRequiredService<PushHttp>(), options.Apns, sp.GetRequiredService<TimeProvider>()));
        }

        services.AddSingleton<PushService>();
        services.AddSingleton<PushOutboxSender>();
        services.AddHostedService(sp => sp.GetRequiredService<PushOutboxSender>());
        services.AddSingleton<IQueryFields, PushQueryFields>();
        services.AddSingleton<IMutationFields, PushMutationFields>();
        return services;
    }
}
