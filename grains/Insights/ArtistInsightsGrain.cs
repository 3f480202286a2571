using Jacameno.Common;

namespace Jacameno.Insights;

[GenerateSerializer, Alias("jacameno.artist-insights-state")]
public sealed class ArtistInsightsState
{
    [Id(0)] public Dictionary<DateOnly, InsightsBucket> Days { get; set; } = [];
}

[GenerateSerializer, Alias("jacameno.insights-bucket")]
public sealed class InsightsBucket
{
    [Id(0)] public long Plays { get; set; }
    [Id(1)] public long Listeners { get; set; }
    [Id(2)] public long Likes { get; set; }
    [Id(3)] public long Reposts { get; set; }
    [Id(4)] public long Downloads { get; set; }
    [Id(5)] public long Sales { get; set; }
    [Id(6)] public Dictionary<Guid, long> ReleasePlays { get; set; } = [];
    [Id(7)] public Dictionary<string, long> Countries { get; set; } = [];
    [Id(8)] public Dictionary<string, long> Sources { get; set; } = [];

    /// <summary>Earnings by currency, in minor units.</summary>
    [Id(9)] public Dictionary<string, long> Revenue { get; set; } = [];
}

public sealed class ArtistInsightsGrain(
    [PersistentState("insights", StorageNames.Grains)] IPersistentState<ArtistInsightsState> state,
    TimeProvider clock) : Grain, IArtistInsightsGrain
{
    /// <summary>Days kept: the longest window and a little more.</summary>
    public const int KeptDays = 400;

    private static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(5);

    // Today's distinct listeners, as hashes, in memory only: a reactivation mid-day may count a listener twice.
    private readonly HashSet<string> listenersToday = new(StringComparer.Ordinal);
    private DateOnly listenersDay;
    private bool dirty;
    private IGrainTimer? flush;

    public Task RecordAsync(InsightEvent insight)
    {
        var day = DateOnly.FromDateTime(insight.At.UtcDateTime);
        if (!state.State.Days.TryGetValue(day, out var bucket))
        {
            state.State.Days[day] = bucket = new InsightsBucket();
            Prune(day);
        }

        switch (insight.Kind)
        {
            case InsightKind.Play:
                bucket.Plays++;
                Add(bucket.ReleasePlays, insight.SubjectId);
                Add(bucket.Sources, PlaySources.Normalize(insight.Source));
                Add(bucket.Countries, insight.Country ?? "unknown");
                if (listenersDay != day)
                {
                    listenersDay = day;
                    listenersToday.Clear();
                }

                if (insight.ListenerHash is { } listener && listenersToday.Add(listener))
                {
                    bucket.Listeners++;
                }

                break;
            case InsightKind.Like or InsightKind.Unlike:
                bucket.Likes += insight.Kind == InsightKind.Like ? 1 : -1;
                break;
            case InsightKind.Repost or InsightKind.Unrepost:
                bucket.Reposts += insight.Kind == InsightKind.Repost ? 1 : -1;
                break;
            case InsightKind.Download:
                bucket.Downloads++;
                break;
            case InsightKind.Sale:
                bucket.Sales++;
                if (insight.Currency is { } currency)
                {
                    Add(bucket.Revenue, currency, insight.Amount);
                }

                break;
        }

        dirty = true;
        flush ??= this.RegisterGrainTimer(FlushAsync, new GrainTimerCreationOptions { DueTime = FlushInterval, Period = FlushInterval });
        return Task.CompletedTask;
    }

    public Task<ArtistInsights> GetAsync(int days)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var buckets = Enumerable.Range(0, days).Select(i => today.AddDays(i - days + 1))
            .Select(day => (Day: day, Bucket: state.State.Days.GetValueOrDefault(day))).ToList();
        var series = buckets.Select(b => b.Bucket is { } x
            ? new InsightsDay(b.Day, x.Plays, x.Listeners, x.Likes, x.Reposts, x.Downloads, x.Sales)
            : new InsightsDay(b.Day, 0, 0, 0, 0, 0, 0)).ToList();
        var present = buckets.Where(b => b.Bucket is not null).Select(b => b.Bucket!).ToList();
        var totals = new InsightsDay(today, series.Sum(d => d.Plays), series.Sum(d => d.Listeners), series.Sum(d => d.Likes),
            series.Sum(d => d.Reposts), series.Sum(d => d.Downloads), series.Sum(d => d.Sales));
        return Task.FromResult(new ArtistInsights(days, series, totals,
            Top(present.SelectMany(b => b.ReleasePlays.Select(p => KeyValuePair.Create(p.Key.ToString(), p.Value))), 10),
            Top(present.SelectMany(b => b.Countries), 20),
            Top(present.SelectMany(b => b.Sources), PlaySources.All.Count),
            Top(present.SelectMany(b => b.Revenue), 10)));
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken);
        await base.OnDeactivateAsync(reason, cancellationToken);
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (dirty)
        {
            dirty = false;
            await state.WriteStateAsync(cancellationToken);
        }
    }

    private void Prune(DateOnly today)
    {
        foreach (var old in state.State.Days.Keys.Where(d => d < today.AddDays(-KeptDays)).ToList())
        {
            state.State.Days.Remove(old);
        }
    }

    private static IReadOnlyList<InsightsCount> Top(IEnumerable<KeyValuePair<string, long>> counts, int take) =>
        [.. counts.GroupBy(c => c.Key, StringComparer.Ordinal)
            .Select(g => new InsightsCount(g.Key, g.Sum(c => c.Value)))
            .Where(c => c.Count != 0)
            .OrderByDescending(c => c.Count).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Take(take)];

    private static void Add<TKey>(Dictionary<TKey, long> counts, TKey key, long by = 1) where TKey : notnull =>
        counts[key] = counts.GetValueOrDefault(key) + by;
}
