using Jacameno.Common;
using Jacameno.Hosting;

namespace Jacameno.Frontend.Hosting;

public static class PlatformHosting
{
    /// <summary>
    /// Embedded mode co-hosts a silo in this process; cluster mode makes the frontend an Orleans client that
    /// finds the silos' gateways through Redis.
    /// </summary>
    public static WebApplicationBuilder AddJacamenoPlatform(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetJacamenoOptions();
        if (options.Mode == PlatformMode.Embedded)
        {
            builder.UseOrleans(silo => silo.AddJacamenoSilo(builder.Configuration));
        }
        else
        {
            builder.Services.AddJacamenoServices(builder.Configuration);
            builder.UseOrleansClient(client =>
            {
                if (options.InlineSockets)
                {
                    client.Services.UseInlineOrleansSockets();
                }

                client.Configure<Orleans.Configuration.ClusterOptions>(o =>
                {
                    o.ClusterId = options.ClusterId;
                    o.ServiceId = options.ClusterId;
                });
                client.UseRedisClustering(builder.Configuration.RequiredConnectionString("redis"));
                client.AddActivityPropagation();
                client.AddMemoryStreams(StreamNames.Provider, streams => streams.ConfigurePartitioning(StreamNames.Queues));
            });
        }

        return builder;
    }
}
