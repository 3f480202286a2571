using Orleans.Concurrency;

namespace Jacameno.Insights;

/// <summary>What happened to something an artist owns.</summary>
public enum InsightKind
{
    Play,
    Like,
    Unlike,
    Repost,
    Unrepost,

    /// <summary>A buyer downloaded a listing's files.</summary>
    Download,

    /// <summary>A listing was bought; <see cref="InsightEvent.Amount"/> is what the seller earns, in minor units.</summary>
    Sale,
}

/// <summary>Where a play came from, as the player says; anything else counts as direct.</summary>
public static class PlaySources
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { "direct", "search", "feed", "embed", "playlist", "profile", "charts" };

    public static string Normalize(string? source) => source is not null && All.Contains(source) ? source : "direct";
}

/// <summary>One event for an artist's insights: a release's play, like or repost, a listing's download or sale.</summary>
[GenerateSerializer, Immutable, Alias("jacameno.insight-event")]
public sealed record InsightEvent(
    [property: Id(0)] InsightKind Kind,
    [property: Id(1)] Guid SubjectId,
    [property: Id(2)] DateTimeOffset At,
    [property: Id(3)] string? ListenerHash = null,
    [property: Id(4)] string? Source = null,
    [property: Id(5)] string? Country = null,
    [property: Id(6)] long Amount = 0,
    [property: Id(7)] string? Currency = null);

[GenerateSerializer, Immutable, Alias("jacameno.insights-day")]
public sealed record InsightsDay(
    [property: Id(0)] DateOnly Day,
    [property: Id(1)] long Plays,
    [property: Id(2)] long Listeners,
    [property: Id(3)] long Likes,
    [property: Id(4)] long Reposts,
    [property: Id(5)] long Downloads,
    [property: Id(6)] long Sales);

[GenerateSerializer, Immutable, Alias("jacameno.insights-count")]
public sealed record InsightsCount([property: Id(0)] string Key, [property: Id(1)] long Count);

/// <summary>An artist's numbers over a window of days ending today (UTC).</summary>
[GenerateSerializer, Immutable, Alias("jacameno.artist-insights")]
public sealed record ArtistInsights(
    [property: Id(0)] int Days,
    [property: Id(1)] IReadOnlyList<InsightsDay> Series,
    [property: Id(2)] InsightsDay Totals,
    [property: Id(3)] IReadOnlyList<InsightsCount> TopReleases,
    [property: Id(4)] IReadOnlyList<InsightsCount> TopCountries,
    [property: Id(5)] IReadOnlyList<InsightsCount> Sources,
    [property: Id(6)] IReadOnlyList<InsightsCount> Revenue);

/// <summary>
/// An artist's insights in day buckets, keyed by the artist's user id. Events arrive one-way from the grains where they
/// happen; the grain adds them up in memory and stores them every few seconds, so a play costs no storage write of its
/// own (a silo that dies loses at most that interval of statistics, never a count the release itself keeps).
/// </summary>
[Alias("jacameno.artist-insights-grain")]
public interface IArtistInsightsGrain : IGrainWithGuidKey
{
    /// <summary>The windows the API offers.</summary>
    static readonly IReadOnlyList<int> Windows = [28, 90, 365];

    [Alias("record"), OneWay]
    Task RecordAsync(InsightEvent insight);

    [Alias("get"), ReadOnly]
    Task<ArtistInsights> GetAsync(int days);
}
