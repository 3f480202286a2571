using System.Collections.Concurrent;
using GraphQL.Types;
using Jacameno.Common;
using Jacameno.Frontend.GraphQL;
using Jacameno.Streaming;

namespace Jacameno.Frontend.Streaming;

/// <summary>A release's counters at one moment.</summary>
public sealed record ReleaseCounts(Guid ReleaseId, long Plays, long Likes, long Reposts, long Comments)
{
    public static ReleaseCounts Of(ReleaseInfo release) => new(release.Id, release.Plays, release.Likes, release.Reposts, release.Comments);
}

/// <summary>
/// Live counters of the releases someone on this frontend subscribed to: each is read from its grain every
/// <see cref="PollInterval"/> (one read per release, however many subscribers), and a change goes to every subscriber.
/// Polled rather than streamed: plays and likes are the hottest writes of the platform, and a stream event per play
/// would cost every release that nobody watches. Who may see the release is checked again when its visibility
/// changes and every <see cref="RecheckEvery"/> polls (a moderator hiding it): a subscriber who no longer may gets NOT_FOUND.
/// </summary>
public sealed partial class ReleaseCountsWatch(IGrainFactory grains, ILogger<ReleaseCountsWatch> logger) : BackgroundService
{
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    public const int RecheckEvery = 30;

    private readonly ConcurrentDictionary<Guid, Watched> watched = new();

    /// <summary>A subscriber's feed, after checking that <paramref name="viewer"/> may see the release (NOT_FOUND otherwise); the counts now come first.</summary>
    public async Task<LiveFeed<ReleaseCounts>> WatchAsync(Guid releaseId, ReleaseViewer viewer)
    {
        var release = await grains.GetGrain<IReleaseGrain>(releaseId).GetAsync(viewer);
        var subscriber = new Subscriber(viewer);
        subscriber.Feed = new LiveFeed<ReleaseCounts>(() => UnwatchAsync(releaseId, subscriber), logger);
        subscriber.Feed.Next(ReleaseCounts.Of(release));
        while (true)
        {
            var entry = watched.GetOrAdd(releaseId, id => new Watched(grains.GetGrain<IReleaseGrain>(id), new ReleaseViewer(release.OwnerId), release));
            lock (entry)
            {
                // Its last subscriber left while this one came, and it was dropped: take a new one.
                if (watched.TryGetValue(releaseId, out var current) && current == entry)
                {
                    entry.Subscribers[subscriber] = 0;
                    return subscriber.Feed;
                }
            }
        }
    }

    private Task UnwatchAsync(Guid releaseId, Subscriber subscriber)
    {
        if (watched.TryGetValue(releaseId, out var entry))
        {
            lock (entry)
            {
                if (entry.Subscribers.TryRemove(subscriber, out _) && entry.Subscribers.IsEmpty)
                {
                    watched.TryRemove(KeyValuePair.Create(releaseId, entry));
                }
            }
        }

        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await Task.WhenAll(watched.Select(w => PollAsync(w.Key, w.Value)));
        }
    }

    private async Task PollAsync(Guid releaseId, Watched entry)
    {
        try
        {
            ReleaseInfo release;
            try
            {
                release = await entry.Grain.GetAsync(entry.Reader);
            }
            catch (DomainException ex) when (ex.Kind == DomainErrorKind.NotFound)
            {
                foreach (var subscriber in entry.Subscribers.Keys)
                {
                    subscriber.Feed.End(DomainException.NotFound("The release"));
                }

                return;
            }

            var previous = entry.Last;
            entry.Last = release;
            if (++entry.Polls % RecheckEvery == 0 || release.Visibility != previous.Visibility || release.Published != previous.Published
                || release.ReleaseAt != previous.ReleaseAt || release.Status != previous.Status)
            {
                await RecheckAsync(entry);
            }

            var counts = ReleaseCounts.Of(release);
            if (counts != ReleaseCounts.Of(previous))
            {
                foreach (var subscriber in entry.Subscribers.Keys)
                {
                    subscriber.Feed.Next(counts);
                }
            }
        }
        catch (Exception ex)
        {
            LogPollFailed(logger, ex, releaseId);
        }
    }

    /// <summary>Each distinct viewer once: anonymous listeners of a public release share one check.</summary>
    private static async Task RecheckAsync(Watched entry)
    {
        foreach (var group in entry.Subscribers.Keys.GroupBy(s => s.Viewer))
        {
            try
            {
                await entry.Grain.CheckVisibleAsync(group.Key);
            }
            catch (DomainException ex) when (ex.Kind == DomainErrorKind.NotFound)
            {
                foreach (var subscriber in group)
                {
                    subscriber.Feed.End(DomainException.NotFound("The release"));
                }
            }
        }
    }

    private sealed class Watched(IReleaseGrain grain, ReleaseViewer reader, ReleaseInfo last)
    {
        public IReleaseGrain Grain { get; } = grain;

        /// <summary>The owner, who sees the release whatever its visibility, so the poll itself never fails on it.</summary>
        public ReleaseViewer Reader { get; } = reader;

        public ReleaseInfo Last { get; set; } = last;

        public long Polls { get; set; }

        public ConcurrentDictionary<Subscriber, byte> Subscribers { get; } = new();
    }

    private sealed class Subscriber(ReleaseViewer viewer)
    {
        public ReleaseViewer Viewer { get; } = viewer;

        public LiveFeed<ReleaseCounts> Feed { get; set; } = null!;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the counts of release {ReleaseId} failed")]
    private static partial void LogPollFailed(ILogger logger, Exception exception, Guid releaseId);
}

public sealed class ReleaseCountsGraphType : ObjectGraphType<ReleaseCounts>
{
    public ReleaseCountsGraphType()
    {
        Name = "ReleaseCounts";
        Field(r => r.ReleaseId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(r => r.Plays);
        Field(r => r.Likes);
        Field(r => r.Reposts);
        Field(r => r.Comments);
    }
}

public sealed class StreamingSubscriptionFields : ISubscriptionFields
{
    public void AddTo(ObjectGraphType subscription) =>
        subscription.Field<NonNullGraphType<ReleaseCountsGraphType>>("releaseCounts")
            .Description("A release's plays, likes, reposts and comments: now, then whenever they change (read every 2 s). "
                + "Whoever may see the release, as the release query (unlisted: with its secret; NOT_FOUND otherwise).")
            .Argument<NonNullGraphType<IdGraphType>>("releaseId")
            .Argument<StringGraphType>("secret")
            .ResolveStreamAsync(async c => await c.Service<ReleaseCountsWatch>().WatchAsync(c.GuidArgument("releaseId", "a release id"), StreamingQueryFields.Viewer(c)));
}
