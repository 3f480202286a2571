using System.Security;
using System.Text;
using Jacameno.Storage.Catalog;
using Jacameno.Marketplace;
using Jacameno.Streaming;

namespace Jacameno.Frontend.Sharing;

/// <summary>
/// sitemap.xml: an index of sitemap files, each at most <see cref="UrlsPerFile"/> items read from the catalog's
/// listed rows (what search shows: public, published, out, not hidden), so nothing unlisted or private is ever in
/// one. A releases file names its releases, their artists and the artists' public playlists; a listings file the
/// marketplace's listings. Files follow the catalog's keyset cursors, at most <see cref="MaxFiles"/> a kind.
/// </summary>
public sealed class Sitemap(IStreamingCatalog streaming, IMarketCatalog market, PublicPages pages, TimeProvider clock)
{
    public const int UrlsPerFile = 1000;

    public const int MaxFiles = 50;

    private const int PlaylistsPerArtist = 100;

    public async Task<string> IndexAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var releaseFiles = await FileCursorsAsync(after => streaming.SearchReleasesAsync(
            new ReleaseQuery(Sort: ReleaseSort.New, First: CatalogCursor.MaxPageSize, After: after), now, cancellationToken));
        var listingFiles = await FileCursorsAsync(after => market.SearchListingsAsync(
            new ListingQuery(Sort: ListingSort.New, First: CatalogCursor.MaxPageSize, After: after), cancellationToken));
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
        foreach (var (path, cursors) in new[] { ("/sitemaps/releases.xml", releaseFiles), ("/sitemaps/listings.xml", listingFiles) })
        {
            foreach (var cursor in cursors)
            {
                xml.Append("<sitemap><loc>").Append(Escape(pages.Absolute(path + (cursor is null ? "" : "?after=" + Uri.EscapeDataString(cursor))))).Append("</loc></sitemap>\n");
            }
        }

        return xml.Append("</sitemapindex>\n").ToString();
    }

    public async Task<string> ReleasesAsync(string? after, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var releases = await ItemsAsync(after, cursor => streaming.SearchReleasesAsync(
            new ReleaseQuery(Sort: ReleaseSort.New, First: CatalogCursor.MaxPageSize, After: cursor), now, cancellationToken));
        var xml = Start();
        foreach (var release in releases)
        {
            Url(xml, $"/releases/{release.Id}", release.ReleaseAt);
        }

        foreach (var artist in releases.GroupBy(r => r.OwnerId))
        {
            Url(xml, $"/users/{artist.Key}", artist.Max(r => r.ReleaseAt));
            var playlists = await streaming.ListPlaylistsAsync(artist.Key, includePrivate: false, PlaylistsPerArtist, null, cancellationToken);
            foreach (var playlist in playlists.Items.Where(p => p.IsPublic))
            {
                Url(xml, $"/playlists/{playlist.Id}", playlist.UpdatedAt);
            }
        }

        return xml.Append("</urlset>\n").ToString();
    }

    public async Task<string> ListingsAsync(string? after, CancellationToken cancellationToken)
    {
        var listings = await ItemsAsync(after, cursor => market.SearchListingsAsync(
            new ListingQuery(Sort: ListingSort.New, First: CatalogCursor.MaxPageSize, After: cursor), cancellationToken));
        var xml = Start();
        foreach (var listing in listings.Where(l => l.Listed))
        {
            Url(xml, $"/market/listings/{listing.Id}", listing.CreatedAt);
        }

        return xml.Append("</urlset>\n").ToString();
    }

    /// <summary>The cursor each file starts at (null: the first), walking the catalog a page at a time.</summary>
    private static async Task<List<string?>> FileCursorsAsync<T>(Func<string?, Task<CatalogPage<T>>> page)
    {
        var cursors = new List<string?> { null };
        var (after, count) = ((string?)null, 0);
        while (true)
        {
            var next = await page(after);
            count += next.Items.Count;
            after = next.NextCursor;
            if (after is null)
            {
                return cursors;
            }

            if (count % UrlsPerFile == 0)
            {
                if (cursors.Count == MaxFiles)
                {
                    return cursors;
                }

                cursors.Add(after);
            }
        }
    }

    /// <summary>One file's items: <see cref="UrlsPerFile"/> from <paramref name="after"/>.</summary>
    private static async Task<List<T>> ItemsAsync<T>(string? after, Func<string?, Task<CatalogPage<T>>> page)
    {
        var items = new List<T>();
        do
        {
            var next = await page(after);
            items.AddRange(next.Items);
            after = next.NextCursor;
        }
        while (after is not null && items.Count < UrlsPerFile);
        return items;
    }

    private static StringBuilder Start() =>
        new("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");

    private void Url(StringBuilder xml, string path, DateTimeOffset lastModified) =>
        xml.Append("<url><loc>").Append(Escape(pages.Absolute(path))).Append("</loc><lastmod>").Append(SharingEndpoints.Date(lastModified)).Append("</lastmod></url>\n");

    private static string Escape(string text) => SecurityElement.Escape(text);
}
