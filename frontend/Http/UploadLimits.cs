using Jacameno.Storage.Blobs;
using Microsoft.AspNetCore.Http.Features;

namespace Jacameno.Frontend.Http;

/// <summary>
/// One answer for a body over its endpoint's limit, wherever it is found: announced (Content-Length), while
/// streaming (a chunked body need not announce its size), or by Kestrel's own limit, which is raised or lowered
/// to the endpoint's before anything is read.
/// </summary>
public static class UploadLimits
{
    /// <summary>Sets the request's body limit to <paramref name="max"/>; a 413 problem when the body announces more.</summary>
    public static IResult? Apply(HttpContext http, long max, string what = "Uploads")
    {
        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = max;
        }

        return http.Request.ContentLength > max ? TooLarge(max, what) : null;
    }

    public static IResult TooLarge(long max, string what = "Uploads") =>
        Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload too large", detail: $"{what} are limited to {max} bytes.");

    /// <summary>Runs <paramref name="read"/> on the body cut at <paramref name="max"/> bytes; past it, the 413 problem.</summary>
    public static async Task<IResult> ReadAsync(Stream body, long max, Func<Stream, Task<IResult>> read, string what = "Uploads")
    {
        try
        {
            return await read(new LimitedStream(body, max));
        }
        catch (LimitedStream.TooLargeException)
        {
            return TooLarge(max, what);
        }
    }
}
