using Jacameno.Storage.Catalog;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Jacameno.Frontend.Http;

/// <summary>One page of a list: the items, the cursor for the next page and a ready-made link to it (null at the end).</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, string? NextCursor, string? Next);

/// <summary>Every list of the REST API pages the same way: <c>first</c> (clamped by the catalog) and the opaque <c>after</c> cursor.</summary>
public static class Paging
{
    /// <summary>A catalog page as the API returns lists: the items, the next cursor and the link to the next page.</summary>
    public static Ok<PageResponse<T>> Page<T>(CatalogPage<T> page, HttpContext http) => Page(page, item => item, http);

    /// <summary>The same, with each item made into its response.</summary>
    public static Ok<PageResponse<TOut>> Page<TIn, TOut>(CatalogPage<TIn> page, Func<TIn, TOut> response, HttpContext http) =>
        TypedResults.Ok(new PageResponse<TOut>([.. page.Items.Select(response)], page.NextCursor,
            page.NextCursor is null ? null : NextLink(http, page.NextCursor)));

    /// <summary>The same request with <c>after</c> set to the next cursor.</summary>
    public static string NextLink(HttpContext http, string cursor)
    {
        var query = http.Request.Query.Where(q => q.Key != "after")
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"after={Uri.EscapeDataString(cursor)}");
        return $"{http.Request.PathBase}{http.Request.Path}?{string.Join('&', query)}";
    }
}
