using Microsoft.AspNetCore.HttpOverrides;

namespace Jacameno.Frontend.Hosting;

/// <summary>
/// Behind a load balancer every request comes from the balancer's address, so per-IP rate limits would put all
/// users in one budget. X-Forwarded-For and -Proto are honoured from loopback and from the networks listed in
/// <c>Jacameno:TrustedProxies</c> (CIDR, e.g. <c>172.28.0.0/16</c>); from anyone else they are ignored.
/// </summary>
public static class ProxyHeaders
{
    public const string SectionName = "Jacameno:TrustedProxies";

    public static IServiceCollection AddJacamenoForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var entry in configuration.GetSection(SectionName).Get<string[]>() ?? [])
        {
            if (!System.Net.IPNetwork.TryParse(entry, out var network))
            {
                throw new InvalidOperationException($"{SectionName} holds '{entry}', which is not a network in CIDR notation (such as 10.0.0.0/8).");
            }

            networks.Add(network);
        }

        services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            networks.ForEach(o.KnownIPNetworks.Add);
        });
        return services;
    }
}
