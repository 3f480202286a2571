using Jacameno.Hosting;
using Microsoft.AspNetCore.HttpOverrides;

namespace Jacameno.Frontend.Hosting;

/// <summary>
/// Behind a load balancer every request comes from the balancer's address, so per-IP rate limits would put all
/// users in one budget. X-Forwarded-For and -Proto are honoured only from the networks listed in
/// <c>Jacameno:TrustedProxies</c> (CIDR, e.g. <c>172.28.0.0/16</c>), and in embedded mode also from loopback (a
/// proxy on the same machine); from anyone else they are ignored. A cluster trusts no one by default: a frontend
/// reached directly would otherwise let every client pick the address its rate limits count against.
/// </summary>
public static class ProxyHeaders
{
    public const string SectionName = "Jacameno:TrustedProxies";

    public static IServiceCollection AddJacamenoForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var cluster = configuration.GetJacamenoOptions().Mode == Jacameno.Hosting.PlatformMode.Cluster;
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
            // Careful: with no known proxy and no known network at all, ASP.NET Core believes everyone. A cluster
            // without configured proxies therefore reads no forwarded header, rather than emptying the lists.
            o.ForwardedHeaders = cluster && networks.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            if (cluster)
            {
                o.KnownProxies.Clear();
                o.KnownIPNetworks.Clear();
            }

            networks.ForEach(o.KnownIPNetworks.Add);
        });
        return services;
    }
}
