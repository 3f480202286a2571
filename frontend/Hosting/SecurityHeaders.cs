using System.Net;
using Jacameno.Hosting;

namespace Jacameno.Frontend.Hosting;

/// <summary>What the edge exposes besides the API, section <c>Jacameno:Edge</c>.</summary>
public sealed class EdgeOptions
{
    public const string SectionName = "Jacameno:Edge";

    /// <summary>Serve the API reference UI at /docs (the OpenAPI document stays at /openapi/v1.json). Default true.</summary>
    public bool ApiDocs { get; set; } = true;

    /// <summary>
    /// Networks (CIDR) besides loopback whose clients may read /metrics, e.g. the Prometheus pods' network.
    /// Default none: metrics name routes, grain types and load, which are not for the public.
    /// </summary>
    public List<string> MetricsNetworks { get; set; } = [];
}

/// <summary>
/// Headers on every response: the app's pages may run only the app's own scripts (no inline script), load media
/// only from here (or the blob store), and be framed by nobody (the embeddable players under /embed by anyone); nothing is sniffed into another type; referrers
/// leave only as an origin; HSTS once a request came over HTTPS. /metrics answers only local and listed networks.
/// </summary>
public static class SecurityHeaders
{
    public static IServiceCollection AddJacamenoEdge(this IServiceCollection services)
    {
        services.AddOptions<EdgeOptions>().BindConfiguration(EdgeOptions.SectionName).ValidateOnStart();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<EdgeOptions>, EdgeOptionsValidator>();
        return services;
    }

    public static WebApplication UseSecurityHeaders(this WebApplication app)
    {
        var blobOrigin = BlobOrigin(app.Configuration);
        var appPolicy = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
            + $"img-src 'self' data: blob:{blobOrigin}; media-src 'self' blob:{blobOrigin}; connect-src 'self'{blobOrigin}; "
            + "font-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
        // The reference UI ships its configuration as an inline script; it is for developers, and can be turned off.
        const string docsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";
        const string apiPolicy = "default-src 'none'; frame-ancestors 'none'";
        const string embedPolicy = "default-src 'none'; frame-ancestors *";
        app.Use((http, next) =>
        {
            var headers = http.Response.Headers;
            var path = http.Request.Path;
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            // The players under /embed are made to be framed by any site; each sets its own policy with a nonce (SharingEndpoints).
            var embed = path.StartsWithSegments("/embed");
            if (!embed)
            {
                headers.XFrameOptions = "DENY";
            }

            headers.ContentSecurityPolicy = embed ? embedPolicy
                : path.StartsWithSegments("/api") || path.StartsWithSegments("/graphql") || path.StartsWithSegments("/hubs")
                || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics")
                || path.StartsWithSegments("/oembed") || path.StartsWithSegments("/sitemaps") || path.Equals("/sitemap.xml") || path.Equals("/robots.txt")
                ? apiPolicy
                : path.StartsWithSegments("/docs") ? docsPolicy : appPolicy;
            if (http.Request.IsHttps)
            {
                headers.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
            }

            return next(http);
        });
        return app;
    }

    /// <summary>
    /// Where audio and artwork come from besides this origin, as a CSP source with a leading space: in a cluster the S3
    /// store's pre-signed URLs, another origin; nothing more in embedded mode, whose blob links are paths here.
    /// </summary>
    public static string BlobOrigin(IConfiguration configuration)
    {
        var platform = configuration.GetJacamenoOptions();
        return platform.Mode != PlatformMode.Cluster ? ""
            : Uri.TryCreate(platform.S3.ServiceUrl, UriKind.Absolute, out var s3) ? " " + s3.GetLeftPart(UriPartial.Authority)
            : " https:";
    }

    /// <summary>/metrics for loopback and the configured networks only; anyone else gets the 404 of a path that is not there.</summary>
    public static IEndpointConventionBuilder OnlyForMetricsNetworks(this IEndpointConventionBuilder endpoint, IConfiguration configuration)
    {
        var networks = (configuration.GetSection(EdgeOptions.SectionName).Get<EdgeOptions>() ?? new EdgeOptions()).MetricsNetworks
            .Select(n => IPNetwork.Parse(n)).ToList();
        return endpoint.AddEndpointFilter(async (context, next) =>
        {
            // The client's address as the connection or a trusted proxy gives it; an in-process test server has none.
            var address = context.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpConnectionFeature>()?.RemoteIpAddress;
            if (address is not null && !IPAddress.IsLoopback(address) && !networks.Exists(n => n.Contains(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)))
            {
                return Results.Problem(statusCode: 404, title: Problems.TitleOf(404), detail: $"{context.HttpContext.Request.Path} is not here.");
            }

            return await next(context);
        });
    }

    private sealed class EdgeOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<EdgeOptions>
    {
        public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, EdgeOptions options)
        {
            var bad = options.MetricsNetworks.Where(n => !IPNetwork.TryParse(n, out _)).ToList();
            return bad.Count == 0
                ? Microsoft.Extensions.Options.ValidateOptionsResult.Success
                : Microsoft.Extensions.Options.ValidateOptionsResult.Fail($"{EdgeOptions.SectionName}:MetricsNetworks holds {string.Join(", ", bad)}, not networks in CIDR notation (such as 10.0.0.0/8).");
        }
    }
}
