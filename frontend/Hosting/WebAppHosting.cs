using Microsoft.AspNetCore.StaticFiles;

namespace Jacameno.Frontend.Hosting;

/// <summary>
/// Serves the web app (built by frontend/web into wwwroot): its bundles compressed ahead of time (Brotli or gzip
/// beside each file, chosen by Accept-Encoding) and cached for good, since their names carry content hashes; its
/// index page never cached; and the index page for the app's own routes (/projects/…), which route in the browser.
/// </summary>
public static class WebAppHosting
{
    private static readonly (string Encoding, string Extension)[] Encodings = [("br", ".br"), ("gzip", ".gz")];
    private static readonly FileExtensionContentTypeProvider Types = new();

    public static WebApplication UseWebApp(this WebApplication app)
    {
        var files = app.Environment.WebRootFileProvider;
        app.Use((http, next) =>
        {
            if (HttpMethods.IsGet(http.Request.Method) && http.Request.Path.StartsWithSegments("/assets"))
            {
                var accepted = http.Request.Headers.AcceptEncoding.ToString();
                foreach (var (encoding, extension) in Encodings)
                {
                    if (accepted.Contains(encoding, StringComparison.OrdinalIgnoreCase) && files.GetFileInfo(http.Request.Path + extension).Exists)
                    {
                        http.Request.Path += extension;
                        http.Response.Headers.ContentEncoding = encoding;
                        break;
                    }
                }

                http.Response.Headers.Vary = "Accept-Encoding";
            }

            return next(http);
        });
        app.UseDefaultFiles();
        app.UseStaticFiles(Options);
        return app;
    }

    /// <summary>
    /// Registers the index page as the fallback: after every API route, so unknown API paths stay problems. A build
    /// without the web app (<c>-p:SkipWebApp=true</c>) answers with the public pages' built-in shell instead of a 404,
    /// as the public pages do, so every app route answers alike either way.
    /// </summary>
    public static void MapWebAppFallback(this WebApplication app)
    {
        if (app.Environment.WebRootFileProvider.GetFileInfo("index.html").Exists)
        {
            app.MapFallbackToFile("index.html", Options);
            return;
        }

        app.MapFallback(async (Sharing.PageShell shell, HttpContext http) =>
        {
            http.Response.Headers.CacheControl = "no-cache";
            return Results.Content(await shell.RenderAsync(null, noIndex: false), "text/html; charset=utf-8");
        });
    }

    private static StaticFileOptions Options => new() { ContentTypeProvider = new PrecompressedTypes(), OnPrepareResponse = Caching };

    private static void Caching(StaticFileResponseContext context) =>
        context.Context.Response.Headers.CacheControl = context.Context.Request.Path.StartsWithSegments("/assets")
            ? "public, max-age=31536000, immutable"
            : "no-cache";

    /// <summary>A compressed file has the type of what it compresses (app.js.br is JavaScript).</summary>
    private sealed class PrecompressedTypes : IContentTypeProvider
    {
        public bool TryGetContentType(string subpath, out string contentType) =>
            Types.TryGetContentType(Encodings.Any(e => subpath.EndsWith(e.Extension, StringComparison.Ordinal)) ? subpath[..^3] : subpath, out contentType!);
    }
}
