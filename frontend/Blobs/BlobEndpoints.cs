using Jacameno.Storage.Blobs;

namespace Jacameno.Frontend.Blobs;

public static class BlobEndpoints
{
    /// <summary>
    /// Serves the folder store's signed download URLs with HTTP Range support (embedded mode; in a cluster,
    /// S3 serves its own pre-signed URLs).
    /// </summary>
    public static IEndpointRouteBuilder MapBlobEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet(FolderBlobStore.DownloadPath + "{**key}", async (string key, string? expires, string? sig, HttpContext http, IBlobStore store) =>
        {
            var notFound = Results.Problem(statusCode: 404, title: "Not found", detail: "No such download.");
            if (store is not FolderBlobStore folder || !BlobKey.IsValid(key))
            {
                return notFound;
            }

            if (!folder.VerifyDownload(key, expires, sig))
            {
                return Results.Problem(statusCode: 403, title: "Forbidden", detail: "The download link is invalid or has expired.");
            }

            if (await folder.OpenFileAsync(key, http.RequestAborted) is not var (file, contentType))
            {
                return notFound;
            }

            MarkAsDownload(http.Response);
            return Results.Stream(file, BlobMediaTypes.Safe(contentType), enableRangeProcessing: true);
        }).WithTags("Blobs")
            .WithSummary("A signed download link of the folder store (embedded mode), with Range; served as an attachment. 403 when the signature is wrong or expired.");
        return app;
    }

    /// <summary>
    /// Headers for every file served back to a browser: saved, not shown, when opened as a page; never sniffed into
    /// another type; and if rendered anyway, sandboxed with nothing allowed to load or run. An uploaded file on
    /// the app's own origin would otherwise run as the app (its tokens are in the page's storage).
    /// </summary>
    public static void MarkAsDownload(HttpResponse response)
    {
        response.Headers.ContentDisposition = "attachment";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
    }
}
