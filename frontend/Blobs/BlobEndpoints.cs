using Jacameno.Infrastructure.Blobs;

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

            return await folder.OpenFileAsync(key, http.RequestAborted) is var (file, contentType)
                ? Results.Stream(file, contentType, enableRangeProcessing: true)
                : notFound;
        }).WithTags("Blobs").ExcludeFromDescription();
        return app;
    }
}
