using System.Globalization;
using Jacameno.Common;
using Jacameno.Frontend.Marketplace;
using Jacameno.Frontend.Streaming;
using Jacameno.Hosting;
using Jacameno.Streaming;
using Jacameno.Users;

namespace Jacameno.Frontend.Sharing;

/// <summary>
/// What the public pages, embeds and oEmbed show, read as an anonymous listener through the services the REST API
/// uses: whatever GET /api/… would answer 404 to (private, unlisted without its secret, unpublished, hidden by a
/// moderator, deleted) is null here, never a page with a hint of it.
/// </summary>
public sealed class PublicPages(ReleaseService releases, SocialService social, MarketService market, IGrainFactory grains, IConfiguration configuration)
{
    /// <summary>The embedded players' sizes, for the oEmbed answer and the Twitter player card.</summary>
    public static readonly (int Width, int Height) ReleasePlayer = (560, 180);

    public static readonly (int Width, int Height) PlaylistPlayer = (560, 400);

    private readonly string site = configuration.GetJacamenoOptions().PublicUrl.ToString().TrimEnd('/');

    /// <summary>An absolute URL of this site (<c>Jacameno:PublicUrl</c>) for a path.</summary>
    public string Absolute(string path) => site + path;

    public Uri Site => new(site + "/");

    /// <summary>The release as an anonymous listener sees it (unlisted ones with their secret), or null.</summary>
    public async Task<ReleaseInfo?> ReleaseAsync(Guid id, string? secret) =>
        await Visible(() => releases.GetAsync(id, new ReleaseViewer(null, secret)));

    public async Task<PlaylistResponse?> PlaylistAsync(Guid id) => await Visible(() => social.GetPlaylistAsync(id, null));

    public async Task<string?> UserNameAsync(Guid id) => (await Visible(() => grains.GetGrain<IUserGrain>(id).GetProfileAsync()))?.DisplayName;

    public async Task<PageMeta?> ReleasePageAsync(Guid id, string? secret)
    {
        if (await ReleaseAsync(id, secret) is not { } release)
        {
            return null;
        }

        var query = SecretQuery(release, secret);
        var url = Absolute($"/releases/{id}{query}");
        var artistUrl = Absolute($"/users/{release.OwnerId}");
        var image = release.HasArtwork ? Absolute($"/api/releases/{id}/artwork?size=1000{(query.Length > 0 ? "&" + query[1..] : "")}") : null;
        var title = $"{release.Title} by {release.Artist}";
        var properties = new List<(string, string)>();
        if (image is not null)
        {
            properties.Add(("og:image:width", "1000"));
            properties.Add(("og:image:height", "1000"));
        }

        properties.Add(("music:musician", artistUrl));
        if (release.DurationSeconds is { } seconds)
        {
            properties.Add(("music:duration", Math.Round(seconds).ToString(CultureInfo.InvariantCulture)));
        }

        return new PageMeta(title, Describe(release.Description, $"Listen to {release.Title} by {release.Artist} on {PageShell.SiteName}."), url, "music.song")
        {
            Image = image,
            NoIndex = release.Visibility != ReleaseVisibility.Public,
            Properties = properties,
            Player = (Absolute($"/embed/releases/{id}{query}"), ReleasePlayer.Width, ReleasePlayer.Height),
            OEmbedUrl = OEmbedLink(url),
            JsonLd = new()
            {
                ["@context"] = "https://schema.org",
                ["@type"] = "MusicRecording",
                ["name"] = release.Title,
                ["url"] = url,
                ["description"] = release.Description,
                ["byArtist"] = new Dictionary<string, object?> { ["@type"] = "MusicGroup", ["name"] = release.Artist, ["url"] = artistUrl },
                ["duration"] = release.DurationSeconds is { } d ? IsoDuration(d) : null,
                ["image"] = image,
                ["genre"] = release.Genre,
                ["keywords"] = release.Tags.Count > 0 ? string.Join(", ", release.Tags) : null,
                ["datePublished"] = release.ReleaseAt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["interactionStatistic"] = new Dictionary<string, object?>
                {
                    ["@type"] = "InteractionCounter",
                    ["interactionType"] = "https://schema.org/ListenAction",
                    ["userInteractionCount"] = release.Plays,
                },
            },
        };
    }

    public async Task<PageMeta?> ArtistPageAsync(Guid id)
    {
        if (await Visible(() => grains.GetGrain<IUserGrain>(id).GetProfileAsync()) is not { } profile)
        {
            return null;
        }

        var tracks = (await releases.UserReleasesAsync(id, null, 10, null)).Items;
        var url = Absolute($"/users/{id}");
        var image = tracks.FirstOrDefault(t => t.HasArtwork) is { } art ? Absolute($"/api/releases/{art.Id}/artwork?size=1000") : null;
        return new PageMeta(profile.DisplayName, Describe(profile.Bio, $"Music by {profile.DisplayName} on {PageShell.SiteName}."), url, "profile")
        {
            Image = image,
            Properties = [("profile:username", profile.DisplayName)],
            JsonLd = new()
            {
                ["@context"] = "https://schema.org",
                ["@type"] = "MusicGroup",
                ["name"] = profile.DisplayName,
                ["url"] = url,
                ["description"] = profile.Bio,
                ["image"] = image,
                ["track"] = tracks.Count > 0 ? tracks.Select(t => Recording(t)).ToList() : null,
            },
        };
    }

    public async Task<PageMeta?> PlaylistPageAsync(Guid id)
    {
        if (await PlaylistAsync(id) is not { } playlist)
        {
            return null;
        }

        var owner = await Visible(() => grains.GetGrain<IUserGrain>(playlist.OwnerId).GetProfileAsync());
        var url = Absolute($"/playlists/{id}");
        var ownerUrl = Absolute($"/users/{playlist.OwnerId}");
        var image = playlist.Releases.FirstOrDefault(r => r.HasArtwork) is { } art ? Absolute($"/api/releases/{art.Id}/artwork?size=1000") : null;
        var count = playlist.Releases.Count;
        var byline = owner is null ? "" : $" by {owner.DisplayName}";
        var properties = new List<(string, string)> { ("music:creator", ownerUrl) };
        properties.AddRange(playlist.Releases.Take(50).Select(r => ("music:song", Absolute($"/releases/{r.Id}"))));
        return new PageMeta($"{playlist.Title}, a playlist{byline}",
            Describe(playlist.Description, $"{count} {(count == 1 ? "track" : "tracks")} on {PageShell.SiteName}."), url, "music.playlist")
        {
            Image = image,
            Properties = properties,
            Player = (Absolute($"/embed/playlists/{id}"), PlaylistPlayer.Width, PlaylistPlayer.Height),
            OEmbedUrl = OEmbedLink(url),
            JsonLd = new()
            {
                ["@context"] = "https://schema.org",
                ["@type"] = "MusicPlaylist",
                ["name"] = playlist.Title,
                ["url"] = url,
                ["description"] = playlist.Description,
                ["image"] = image,
                ["numTracks"] = count,
                ["author"] = owner is null ? null : new Dictionary<string, object?> { ["@type"] = "Person", ["name"] = owner.DisplayName, ["url"] = ownerUrl },
                ["track"] = playlist.Releases.Take(50).Select(r => Recording(r)).ToList(),
            },
        };
    }

    public async Task<PageMeta?> ListingPageAsync(Guid id)
    {
        if (await Visible(() => market.GetListingAsync(id, null)) is not { } listing)
        {
            return null;
        }

        var url = Absolute($"/market/listings/{id}");
        var cheapest = listing.Tiers.MinBy(t => t.Price);
        var properties = new List<(string, string)>();
        Dictionary<string, object?>? offers = null;
        if (cheapest is not null)
        {
            var same = listing.Tiers.Where(t => t.Currency == cheapest.Currency).ToList();
            properties.Add(("product:price:amount", Amount(cheapest.Price, cheapest.Currency)));
            properties.Add(("product:price:currency", cheapest.Currency));
            offers = new()
            {
                ["@type"] = "AggregateOffer",
                ["priceCurrency"] = cheapest.Currency,
                ["lowPrice"] = Amount(cheapest.Price, cheapest.Currency),
                ["highPrice"] = Amount(same.Max(t => t.Price), cheapest.Currency),
                ["offerCount"] = same.Count,
                ["url"] = url,
            };
        }

        return new PageMeta($"{listing.Title} by {listing.Seller}", Describe(listing.Description, $"{listing.Title}, for sale on {PageShell.SiteName}."), url, "product")
        {
            Properties = properties,
            JsonLd = new()
            {
                ["@context"] = "https://schema.org",
                ["@type"] = "Product",
                ["name"] = listing.Title,
                ["url"] = url,
                ["description"] = listing.Description,
                ["category"] = listing.Genre,
                ["brand"] = new Dictionary<string, object?> { ["@type"] = "Brand", ["name"] = listing.Seller },
                ["offers"] = offers,
                ["aggregateRating"] = listing.RatingCount > 0
                    ? new Dictionary<string, object?>
                    {
                        ["@type"] = "AggregateRating",
                        ["ratingValue"] = Math.Round(listing.RatingAverage, 2),
                        ["ratingCount"] = listing.RatingCount,
                    }
                    : null,
            },
        };
    }

    /// <summary>The oEmbed endpoint's address for a page of this site.</summary>
    public string OEmbedLink(string pageUrl) => Absolute($"/oembed?url={Uri.EscapeDataString(pageUrl)}&format=json");

    /// <summary>"?secret=…" when the release is unlisted and opened by its link; empty otherwise.</summary>
    public static string SecretQuery(ReleaseInfo release, string? secret) =>
        release.Visibility == ReleaseVisibility.Unlisted && !string.IsNullOrEmpty(secret) ? "?secret=" + Uri.EscapeDataString(secret) : "";

    private Dictionary<string, object?> Recording(ReleaseSummary release) => new()
    {
        ["@type"] = "MusicRecording",
        ["name"] = release.Title,
        ["url"] = Absolute($"/releases/{release.Id}"),
        ["byArtist"] = new Dictionary<string, object?> { ["@type"] = "MusicGroup", ["name"] = release.Artist, ["url"] = Absolute($"/users/{release.OwnerId}") },
        ["duration"] = release.DurationSeconds is { } d ? IsoDuration(d) : null,
    };

    /// <summary>The owner's text, cut to what a preview shows, or a sentence of our own when there is none.</summary>
    private static string Describe(string? text, string otherwise)
    {
        var line = string.Join(' ', (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length == 0 ? otherwise : line.Length <= 300 ? line : line[..297].TrimEnd() + "…";
    }

    private static string IsoDuration(double seconds)
    {
        var time = TimeSpan.FromSeconds(Math.Round(seconds));
        return $"PT{(int)time.TotalHours}H{time.Minutes}M{time.Seconds}S";
    }

    /// <summary>Minor units as a decimal amount ("49.99"; the yen has no minor unit).</summary>
    private static string Amount(long minor, string currency) => currency == "JPY"
        ? minor.ToString(CultureInfo.InvariantCulture)
        : (minor / 100m).ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>Null for what the API answers 404 (or 403) to: the page then says nothing about it.</summary>
    private static async Task<T?> Visible<T>(Func<Task<T>> read) where T : class
    {
        try
        {
            return await read();
        }
        catch (DomainException e) when (e.Kind is DomainErrorKind.NotFound or DomainErrorKind.Forbidden)
        {
            return null;
        }
    }
}
