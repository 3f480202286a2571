using Jacameno.Storage.Catalog;
using Jacameno.Storage.Postgres;
using Jacameno.Storage.Sqlite;
using Jacameno.Streaming;
using Jacameno.Tests;

namespace Jacameno.Grains.Tests;

/// <summary>One contract for the streaming catalog on SQLite (FTS5) and PostgreSQL (tsvector): search, paging, visibility, relations.</summary>
public abstract class StreamingCatalogContractTests
{
    protected abstract Task<IStreamingCatalog> CatalogAsync();

    private static readonly DateTimeOffset Start = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static ReleaseSummary Release(string title, Guid owner, int minutes, string? genre = null, string[]? tags = null, double? bpm = null,
        string? key = null, bool listed = true, string? description = null, double trend = 0, long plays = 0) =>
        new(Guid.NewGuid(), owner, "Some Artist", title, description, genre, tags ?? [], null, bpm, key, 180, false, false, listed,
            Start.AddMinutes(minutes), Start.AddMinutes(minutes), plays, 0, 0, 0, trend);

    [Fact]
    public async Task Search_RanksTitlesFirst_Filters_AndPagesEverySort()
    {
        var catalog = await CatalogAsync();
        var word = "s" + Guid.NewGuid().ToString("N")[..8];
        var owner = Guid.NewGuid();
        var inTitle = Release($"{word} anthem", owner, 1, "house", ["deep"], 124, "A minor", trend: 1, plays: 5);
        var inDescription = Release("Something else", owner, 2, "house", ["deep", "vocal"], 126, "C major", description: $"the {word} mix", trend: 3, plays: 1);
        var otherGenre = Release($"{word} ballad", owner, 3, "soul", [], 70, "A minor", trend: 2, plays: 9);
        var unlisted = Release($"{word} hidden", owner, 4, "house", listed: false);
        var later = Release($"{word} tomorrow", owner, 60 * 24 * 30, "house");
        foreach (var r in new[] { inTitle, inDescription, otherGenre, unlisted, later })
        {
            await catalog.UpsertReleaseAsync(r);
        }

        var now = Start.AddHours(1);
        async Task<List<Guid>> Ids(ReleaseQuery query) => [.. (await catalog.SearchReleasesAsync(query, now)).Items.Select(r => r.Id)];

        // Relevance: a title match outranks a description match; unlisted and not-yet-released never show.
        var relevant = await Ids(new ReleaseQuery(word));
        Assert.Equal(3, relevant.Count);
        Assert.Equal(inDescription.Id, relevant[^1]);
        Assert.Equal([inTitle.Id], await Ids(new ReleaseQuery($"{word[..5]} anth")));
        Assert.Equal([inDescription.Id, inTitle.Id], await Ids(new ReleaseQuery(word, Genre: "house", Sort: ReleaseSort.New)));
        Assert.Equal([inDescription.Id], await Ids(new ReleaseQuery(word, Tag: "vocal")));
        Assert.Equal([inTitle.Id], await Ids(new ReleaseQuery(word, BpmMin: 120, BpmMax: 125)));
        Assert.Equal([otherGenre.Id, inTitle.Id], await Ids(new ReleaseQuery(word, Key: "A minor", Sort: ReleaseSort.Top)));
        Assert.Equal([inDescription.Id, otherGenre.Id, inTitle.Id], await Ids(new ReleaseQuery(word, Sort: ReleaseSort.Trending)));
        Assert.Empty(await Ids(new ReleaseQuery(word, OwnerId: Guid.NewGuid())));
        Assert.Equal(4, (await catalog.ListOwnReleasesAsync(owner, 10, null)).Items.Count(r => r.Title.Contains(word, StringComparison.Ordinal)));

        // Every sort pages through the same set, one at a time, without repeats.
        foreach (var sort in Enum.GetValues<ReleaseSort>())
        {
            var seen = new List<Guid>();
            string? after = null;
            do
            {
                var page = await catalog.SearchReleasesAsync(new ReleaseQuery(word, Sort: sort, First: 1, After: after), now);
                seen.AddRange(page.Items.Select(r => r.Id));
                after = page.NextCursor;
            }
            while (after is not null);

            Assert.Equal(relevant.Order(), seen.Order());
        }

        // Counters move the trending order; deleting takes the release out.
        await catalog.UpdateReleaseStatsAsync(inTitle.Id, 6, 1, 0, 0, 10);
        Assert.Equal(inTitle.Id, (await Ids(new ReleaseQuery(word, Sort: ReleaseSort.Trending)))[0]);
        await catalog.DeleteReleaseAsync(inTitle.Id);
        Assert.DoesNotContain(inTitle.Id, await Ids(new ReleaseQuery(word)));
        Assert.Contains(await catalog.GenresAsync(now, 1000), g => g.Genre == "soul" && g.Releases >= 1);
    }

    [Fact]
    public async Task LikesRepostsAndFollows_AreIdempotent_AndMakeTheFeed()
    {
        var catalog = await CatalogAsync();
        var (artist, fan, friend) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var first = Release("First", artist, 1);
        var second = Release("Second", artist, 2);
        var hidden = Release("Hidden", artist, 3, listed: false);
        foreach (var r in new[] { first, second, hidden })
        {
            await catalog.UpsertReleaseAsync(r);
        }

        Assert.True(await catalog.SetFollowAsync(fan, artist, true, Start));
        Assert.False(await catalog.SetFollowAsync(fan, artist, true, Start));
        Assert.True(await catalog.SetFollowAsync(friend, fan, true, Start));
        Assert.True(await catalog.SetRepostAsync(fan, first.Id, true, Start.AddMinutes(10)));
        Assert.True(await catalog.SetLikeAsync(fan, second.Id, true, Start.AddMinutes(11)));
        Assert.False(await catalog.SetLikeAsync(fan, second.Id, true, Start.AddMinutes(12)));
        Assert.True(await catalog.SetLikeAsync(fan, hidden.Id, true, Start.AddMinutes(13)));

        Assert.Equal((1L, 0L, true), await catalog.FollowCountsAsync(artist, fan));
        var now = Start.AddHours(1);
        var feed = await catalog.FeedAsync(fan, now, 1, null);
        Assert.Equal([second.Id], feed.Items.Select(i => i.Release.Id));
        Assert.Equal([first.Id], (await catalog.FeedAsync(fan, now, 5, feed.NextCursor)).Items.Select(i => i.Release.Id));
        var friends = Assert.Single((await catalog.FeedAsync(friend, now, 5, null)).Items);
        Assert.Equal((first.Id, fan, true), (friends.Release.Id, friends.ActorId, friends.Repost));
        Assert.Equal([second.Id], (await catalog.LikedAsync(fan, now, 10, null)).Items.Select(r => r.Id));
        var (liked, reposted) = await catalog.MarksAsync(fan, [first.Id, second.Id, hidden.Id]);
        Assert.Equal(new[] { second.Id, hidden.Id }.Order(), liked.Order());
        Assert.Equal([first.Id], reposted);

        Assert.True(await catalog.SetFollowAsync(fan, artist, false, Start));
        Assert.Empty((await catalog.FeedAsync(fan, now, 5, null)).Items);
        await catalog.DeleteReleaseAsync(first.Id);
        Assert.Empty((await catalog.FeedAsync(friend, now, 5, null)).Items);
    }

    [Fact]
    public async Task CommentsAndNotifications_Page_InTheirOrder()
    {
        var catalog = await CatalogAsync();
        var (release, author, owner) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var late = new ReleaseComment(Guid.NewGuid(), release, author, null, 30, "late", Start);
        var early = new ReleaseComment(Guid.NewGuid(), release, author, null, 5, "early", Start.AddMinutes(1));
        var reply = new ReleaseComment(Guid.NewGuid(), release, owner, late.Id, 30, "reply", Start.AddMinutes(2));
        foreach (var c in new[] { late, early, reply })
        {
            await catalog.AddCommentAsync(c);
        }

        var page = await catalog.ListCommentsAsync(release, 2, null);
        Assert.Equal(["early", "late"], page.Items.Select(c => c.Text));
        Assert.Equal(["reply"], (await catalog.ListCommentsAsync(release, 2, page.NextCursor)).Items.Select(c => c.Text));
        Assert.Equal(2, await catalog.DeleteCommentAsync(late.Id));
        Assert.Equal(["early"], (await catalog.ListCommentsAsync(release, 10, null)).Items.Select(c => c.Text));

        var follower = Guid.NewGuid();
        await catalog.SetFollowAsync(follower, owner, true, Start);
        await catalog.AddNotificationAsync(new Notification(Guid.NewGuid(), owner, NotificationKind.Like, author, release, null, Start));
        await catalog.AddNotificationAsync(new Notification(Guid.NewGuid(), owner, NotificationKind.Comment, author, release, early.Id, Start.AddMinutes(1)));
        var told = Assert.Single(await catalog.NotifyFollowersAsync(owner, release, Start.AddMinutes(2)));
        Assert.Equal((follower, NotificationKind.Release), (told.UserId, told.Kind));
        var notifications = await catalog.ListNotificationsAsync(owner, 1, null);
        Assert.Equal([NotificationKind.Comment], notifications.Items.Select(n => n.Kind));
        Assert.Equal([NotificationKind.Like], (await catalog.ListNotificationsAsync(owner, 1, notifications.NextCursor)).Items.Select(n => n.Kind));
        Assert.Equal(2, await catalog.UnreadNotificationsAsync(owner));
        await catalog.MarkNotificationsReadAsync(owner);
        Assert.Equal(0, await catalog.UnreadNotificationsAsync(owner));
    }

    [Fact]
    public async Task Related_PrefersSharedTagsGenreTempoKeyAndCoLikes()
    {
        var catalog = await CatalogAsync();
        var owner = Guid.NewGuid();
        var genre = "g" + Guid.NewGuid().ToString("N")[..8];
        var seed = Release("Seed", owner, 1, genre, ["t1", "t2"], 120, "D minor");
        var close = Release("Close", owner, 2, genre, ["t1", "t2"], 121, "D minor");
        var far = Release("Far", owner, 3, genre, [], 80, "E major");
        var coLiked = Release("Co-liked", owner, 4, "x" + genre, [], null, null);
        var hidden = Release("Hidden", owner, 5, genre, ["t1", "t2"], 120, "D minor", listed: false);
        foreach (var r in new[] { seed, close, far, coLiked, hidden })
        {
            await catalog.UpsertReleaseAsync(r);
        }

        foreach (var fan in Enumerable.Range(0, 1).Select(_ => Guid.NewGuid()))
        {
            await catalog.SetLikeAsync(fan, seed.Id, true, Start);
            await catalog.SetLikeAsync(fan, coLiked.Id, true, Start);
        }

        var related = await catalog.RelatedAsync(seed, Start.AddHours(1), 10);
        Assert.Equal([close.Id, far.Id, coLiked.Id], related.Select(r => r.Id));
    }
}

public sealed class SqliteStreamingCatalogTests : StreamingCatalogContractTests
{
    private readonly StreamingCatalog catalog = new(new SqliteDialect(new SqliteDatabase(Path.Combine(TestServices.TempDirectory(), "streaming.db"))));

    protected override Task<IStreamingCatalog> CatalogAsync() => Task.FromResult<IStreamingCatalog>(catalog);
}

public sealed class PostgresStreamingCatalogTests : StreamingCatalogContractTests
{
    private static readonly Lazy<Task<IStreamingCatalog>> Shared = new(async () =>
        new StreamingCatalog(new PostgresDialect(PostgresDatabase.Create(await TestServices.CreatePostgresDatabaseAsync()))));

    protected override Task<IStreamingCatalog> CatalogAsync() => Shared.Value;
}
