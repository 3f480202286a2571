using System.Net;
using Jacameno.Common;
using Jacameno.Insights;
using Jacameno.Streaming;
using MaxMind.GeoIP2;

namespace Jacameno.Frontend.Insights;

/// <summary>Where a play's country comes from: a header a CDN or proxy sets, or a GeoIP database (both optional).</summary>
public sealed class InsightsOptions
{
    public const string SectionName = "Jacameno:Insights";

    /// <summary>A request header holding the listener's country as ISO 3166 alpha-2 (Cloudflare's <c>CF-IPCountry</c>, for one).</summary>
    public string? CountryHeader { get; set; }

    /// <summary>A MaxMind GeoIP2/GeoLite2 Country or City database (<c>.mmdb</c>) to look listeners' addresses up in.</summary>
    public string? GeoIpDatabase { get; set; }
}

public sealed record TopRelease(Guid ReleaseId, string Title, long Plays);

public sealed record InsightsResponse(
    int Days,
    IReadOnlyList<InsightsDay> Series,
    InsightsDay Totals,
    IReadOnlyList<TopRelease> TopReleases,
    IReadOnlyList<InsightsCount> TopCountries,
    IReadOnlyList<InsightsCount> Sources,
    IReadOnlyList<InsightsCount> Revenue);

/// <summary>An artist's insights (docs/streaming.md#insights), and the country of a listener for them.</summary>
public sealed class InsightsService : IDisposable
{
    private readonly IGrainFactory grains;
    private readonly InsightsOptions options;
    private readonly DatabaseReader? geoIp;

    public InsightsService(IGrainFactory grains, Microsoft.Extensions.Options.IOptions<InsightsOptions> options)
    {
        this.grains = grains;
        this.options = options.Value;
        geoIp = this.options.GeoIpDatabase is { Length: > 0 } path ? new DatabaseReader(path) : null;
    }

    public async Task<InsightsResponse> GetAsync(Guid artistId, int? days)
    {
        var window = days ?? 28;
        if (!IArtistInsightsGrain.Windows.Contains(window))
        {
            throw DomainException.Invalid("days", $"days is one of {string.Join(", ", IArtistInsightsGrain.Windows)}.");
        }

        var insights = await grains.GetGrain<IArtistInsightsGrain>(artistId).GetAsync(window);
        var owner = new ReleaseViewer(artistId);
        var top = await Task.WhenAll(insights.TopReleases.Select(async r =>
        {
            var id = Guid.Parse(r.Key);
            try
            {
                return new TopRelease(id, (await grains.GetGrain<IReleaseGrain>(id).GetAsync(owner)).Title, r.Count);
            }
            catch (DomainException e) when (e.Kind == DomainErrorKind.NotFound)
            {
                return new TopRelease(id, "(deleted)", r.Count);
            }
        }));
        return new InsightsResponse(insights.Days, insights.Series, insights.Totals, top, insights.TopCountries, insights.Sources, insights.Revenue);
    }

    /// <summary>The listener's country (ISO 3166 alpha-2, upper case), or null when nothing configured knows it.</summary>
    public string? CountryOf(HttpContext http)
    {
        if (options.CountryHeader is { Length: > 0 } header
            && http.Request.Headers[header].ToString() is { Length: 2 } code && char.IsAsciiLetter(code[0]) && char.IsAsciiLetter(code[1]))
        {
            return code.ToUpperInvariant();
        }

        return geoIp is not null && http.Connection.RemoteIpAddress is IPAddress address
            && geoIp.TryCountry(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address, out var country)
            && country?.Country.IsoCode is { Length: 2 } iso
                ? iso
                : null;
    }

    public void Dispose() => geoIp?.Dispose();
}
