using System.Globalization;
using Jacameno.Frontend.Hosting;

namespace Jacameno.Frontend.Sharing;

/// <summary>
/// Links that travel: the public pages with their metadata (the web app's own routes), the embeddable players,
/// oEmbed, robots.txt and the sitemap. None is an API route (they are not in the OpenAPI document).
/// </summary>
public static class SharingEndpoints
{
    /// <summary>The CORS policy of the API routes an embedded player calls from its opaque (sandboxed) origin.</summary>
    public const string EmbedCors = "embed";

    /// <summary>Longer <c>url</c> parameters are no page of ours.</summary>
    public const int MaxOEmbedUrlLength = 2048;

    public static IServiceCollection AddJacamenoSharing(this IServiceCollection services)
    {
        services.AddSingleton<PageShell>();
        services.AddSingleton<PublicPages>();
        services.AddSingleton<Sitemap>();
        // Anonymous and without credentials: what any client may already do with these routes, now from a browser too.
        services.AddCors(o => o.AddPolicy(EmbedCors, policy => policy.AllowAnyOrigin().WithMethods("GET", "POST").WithHeaders("Content-Type")));
        return services;
    }

    public static IEndpointRouteBuilder MapSharingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var app = endpoints.MapGroup("").ExcludeFromDescription();
        // The web app's routes (frontend/web/src/App.tsx), answered with its index page and the thing's metadata.
        // What may not be seen, or does not exist, or has no id of ours gets the same plain page (200, noindex), as
        // every other path of the app does: the app then shows its own "not found", and nothing tells them apart.
        string[] read = ["GET", "HEAD"];
        app.MapMethods("/releases/{id}", read, async (string id, string? secret, PublicPages pages, PageShell shell, HttpContext http) =>
            await PageAsync(http, shell, Guid.TryParse(id, out var guid) ? await pages.ReleasePageAsync(guid, Secret(secret)) : null));
        app.MapMethods("/users/{id}", read, async (string id, PublicPages pages, PageShell shell, HttpContext http) =>
            await PageAsync(http, shell, Guid.TryParse(id, out var guid) ? await pages.ArtistPageAsync(guid) : null));
        app.MapMethods("/playlists/{id}", read, async (string id, PublicPages pages, PageShell shell, HttpContext http) =>
            await PageAsync(http, shell, Guid.TryParse(id, out var guid) ? await pages.PlaylistPageAsync(guid) : null));
        app.MapMethods("/market/listings/{id}", read, async (string id, PublicPages pages, PageShell shell, HttpContext http) =>
            await PageAsync(http, shell, Guid.TryParse(id, out var guid) ? await pages.ListingPageAsync(guid) : null));

        app.MapMethods("/embed/releases/{id}", read, async (string id, string? secret, PublicPages pages, HttpContext http) =>
        {
            var release = Guid.TryParse(id, out var guid) ? await pages.ReleaseAsync(guid, Secret(secret)) : null;
            if (release is null)
            {
                return Embed(http, null);
            }

            var query = PublicPages.SecretQuery(release, secret);
            var track = EmbedPage.Track(release.Id, release.Title, release.Artist, release.DurationSeconds, release.HasArtwork, pages.Absolute($"/releases/{release.Id}{query}"), query);
            return Embed(http, nonce => EmbedPage.Render(release.Title, [track], pages.Absolute("/"), nonce));
        });
        app.MapMethods("/embed/playlists/{id}", read, async (string id, PublicPages pages, HttpContext http) =>
        {
            if ((Guid.TryParse(id, out var guid) ? await pages.PlaylistAsync(guid) : null) is not { } playlist)
            {
                return Embed(http, null);
            }

            var tracks = playlist.Releases.Take(100)
                .Select(r => EmbedPage.Track(r.Id, r.Title, r.Artist, r.DurationSeconds, r.HasArtwork, pages.Absolute($"/releases/{r.Id}"), "")).ToList();
            return Embed(http, nonce => EmbedPage.Render(playlist.Title, tracks, pages.Absolute("/"), nonce));
        });

        app.MapGet("/oembed", OEmbedAsync);
        app.MapMethods("/robots.txt", read, (PublicPages pages) => Results.Text(Robots(pages), "text/plain; charset=utf-8"));
        app.MapMethods("/sitemap.xml", read, async (Sitemap sitemap, HttpContext http) => Xml(http, await sitemap.IndexAsync(http.RequestAborted)));
        app.MapMethods("/sitemaps/releases.xml", read, async (string? after, Sitemap sitemap, HttpContext http) =>
            Xml(http, await sitemap.ReleasesAsync(after, http.RequestAborted)));
        app.MapMethods("/sitemaps/listings.xml", read, async (string? after, Sitemap sitemap, HttpContext http) =>
            Xml(http, await sitemap.ListingsAsync(after, http.RequestAborted)));
        return endpoints;
    }

    /// <summary>The web app's pages may be public; the API, the hubs and signed blob links are not pages, except artwork, which previews show.</summary>
    private static string Robots(PublicPages pages) => $"""
        User-agent: *
        Allow: /
        Allow: /api/releases/*/artwork
        Disallow: /api/
        Disallow: /graphql
        Disallow: /hubs/
        Disallow: /blobs/
        Disallow: /oembed
        Disallow: /settings
        Disallow: /projects
        Disallow: /market/purchases
        Disallow: /market/orders/
        Disallow: /market/seller

        Sitemap: {pages.Absolute("/sitemap.xml")}

        """;

    private static async Task<IResult> PageAsync(HttpContext http, PageShell shell, PageMeta? meta)
    {
        http.Response.Headers.CacheControl = "no-cache";
        return Results.Content(await shell.RenderAsync(meta), "text/html; charset=utf-8");
    }

    /// <summary>
    /// An embed: framed by any site (the one route without framing protection), its own inline style and script
    /// allowed by a nonce and nothing else; kept out of search results (the page is what to find). What may not be
    /// seen is a 404 with a line of text, the same for a missing, private or malformed id.
    /// </summary>
    private static IResult Embed(HttpContext http, Func<string, string>? render)
    {
        var nonce = EmbedPage.NewNonce();
        var request = http.Request;
        var origins = $"'self' {request.Scheme}://{request.Host}{SecurityHeaders.BlobOrigin(http.RequestServices.GetRequiredService<IConfiguration>())}";
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = $"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; img-src {origins}; "
            + $"media-src {origins}; connect-src {origins}; base-uri 'none'; form-action 'none'; frame-ancestors *";
        headers.Remove("X-Frame-Options");
        headers["X-Robots-Tag"] = "noindex";
        headers.CacheControl = "no-cache";
        return render is null
            ? Results.Content(EmbedPage.NotAvailable(nonce), "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound)
            : Results.Content(render(nonce), "text/html; charset=utf-8");
    }

    /// <summary>
    /// oEmbed 1.0 (https://oembed.com): a release or playlist page of this site as a <c>rich</c> player. Any other
    /// URL (another host, another scheme, another path, or what may not be seen) is the same 404; only JSON is made.
    /// </summary>
    private static async Task<IResult> OEmbedAsync(string? url, string? format, int? maxwidth, int? maxheight, PublicPages pages)
    {
        if (string.IsNullOrEmpty(url))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["url"] = ["url is required: the address of a release or playlist page."] },
                detail: "url is required.");
        }

        if (format is not null && !format.Equals("json", StringComparison.OrdinalIgnoreCase))
        {
            return Results.Problem(statusCode: StatusCodes.Status501NotImplemented, title: "Not implemented", detail: "Only format=json is made.");
        }

        if (maxwidth is < 1 || maxheight is < 1)
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { [maxwidth is < 1 ? "maxwidth" : "maxheight"] = ["maxwidth and maxheight are positive."] },
                detail: "maxwidth and maxheight are positive.");
        }

        var notFound = Results.Problem(statusCode: StatusCodes.Status404NotFound, title: Problems.TitleOf(404), detail: "There is no release or playlist of this site at that url.");
        if (url.Length > MaxOEmbedUrlLength || !Uri.TryCreate(url, UriKind.Absolute, out var page) || page.Scheme is not ("http" or "https")
            || !string.Equals(page.Authority, pages.Site.Authority, StringComparison.OrdinalIgnoreCase) || !string.IsNullOrEmpty(page.UserInfo))
        {
            return notFound;
        }

        var segments = page.AbsolutePath.Trim('/').Split('/');
        if (segments.Length != 2 || !Guid.TryParse(segments[1], out var id) || page.AbsolutePath.Contains("//", StringComparison.Ordinal))
        {
            return notFound;
        }

        (string Title, string Author, Guid AuthorId, string Embed, Guid? Artwork, (int Width, int Height) Size)? found = null;
        if (segments[0] == "releases")
        {
            var secret = Secret(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(page.Query).TryGetValue("secret", out var s) ? s.ToString() : null);
            if (await pages.ReleaseAsync(id, secret) is { } release)
            {
                var query = PublicPages.SecretQuery(release, secret);
                // An unlisted release's thumbnail would need its secret in one more URL: it has none.
                found = (release.Title, release.Artist, release.OwnerId, pages.Absolute($"/embed/releases/{id}{query}"),
                    release.HasArtwork && query.Length == 0 ? release.Id : null, PublicPages.ReleasePlayer);
            }
        }
        else if (segments[0] == "playlists" && await pages.PlaylistAsync(id) is { } playlist)
        {
            found = (playlist.Title, await pages.UserNameAsync(playlist.OwnerId) ?? PageShell.SiteName, playlist.OwnerId, pages.Absolute($"/embed/playlists/{id}"),
                playlist.Releases.FirstOrDefault(r => r.HasArtwork)?.Id, PublicPages.PlaylistPlayer);
        }

        if (found is not { } item)
        {
            return notFound;
        }

        var width = Math.Min(item.Size.Width, maxwidth ?? int.MaxValue);
        var height = Math.Min(item.Size.Height, maxheight ?? int.MaxValue);
        var html = PageShell.Html;
        var iframe = $"<iframe src=\"{html.Encode(item.Embed)}\" width=\"{width}\" height=\"{height}\" title=\"{html.Encode(item.Title)}\" "
            + "style=\"border:0\" loading=\"lazy\" allow=\"autoplay\" sandbox=\"allow-scripts allow-popups allow-popups-to-escape-sandbox\"></iframe>";
        var answer = new Dictionary<string, object?>
        {
            ["version"] = "1.0",
            ["type"] = "rich",
            ["title"] = item.Title,
            ["author_name"] = item.Author,
            ["author_url"] = pages.Absolute($"/users/{item.AuthorId}"),
            ["provider_name"] = PageShell.SiteName,
            ["provider_url"] = pages.Absolute("/"),
            ["cache_age"] = 3600,
            ["html"] = iframe,
            ["width"] = width,
            ["height"] = height,
        };
        if (item.Artwork is { } artwork)
        {
            answer["thumbnail_url"] = pages.Absolute($"/api/releases/{artwork}/artwork?size=300");
            answer["thumbnail_width"] = 300;
            answer["thumbnail_height"] = 300;
        }

        return Results.Json(answer, contentType: "application/json; charset=utf-8");
    }

    /// <summary>A secret is a short token; anything longer is no secret of ours and is not passed on.</summary>
    private static string? Secret(string? secret) => secret is { Length: > 0 and <= 200 } ? secret : null;

    private static IResult Xml(HttpContext http, string xml)
    {
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.Content(xml, "application/xml; charset=utf-8");
    }

    internal static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
