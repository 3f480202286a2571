using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>Likes, reposts, follows, the feed, notifications (stored and live), comments, plays, playlists, discovery.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class SocialApiTests(SharedPlatform platform)
{
    private static async Task<JsonElement> GetAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {await response.Content.ReadAsStringAsync()}");
        return await response.BodyAsync();
    }

    private static IEnumerable<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray();

    [Fact]
    public async Task FollowsLikesAndReposts_FillTheFeed_AndNotify()
    {
        var artist = await platform.RegisterAsync(displayName: "Feed Artist");
        var fan = await platform.RegisterAsync(displayName: "Feed Fan");
        var friend = await platform.RegisterAsync(displayName: "Fan's Friend");
        using var artistClient = platform.CreateClient(artist.AccessToken);
        using var fanClient = platform.CreateClient(fan.AccessToken);
        using var friendClient = platform.CreateClient(friend.AccessToken);
        await using var live = await StudioClient.ConnectAsync(platform.Server, artist.AccessToken);

        // The fan follows the artist before the release: its publication reaches them as a notification.
        var follow = await (await fanClient.PutAsync($"/api/users/{artist.User.Id}/follow", null)).BodyAsync();
        Assert.Equal((1L, true), (follow.GetProperty("followers").GetInt64(), follow.GetProperty("followedByMe").GetBoolean()));
        Assert.Equal(1L, (await (await fanClient.PutAsync($"/api/users/{artist.User.Id}/follow", null)).BodyAsync()).GetProperty("followers").GetInt64());
        await friendClient.PutAsync($"/api/users/{fan.User.Id}/follow", null);
        var release = await StreamingApiTests.QuickReleaseAsync(artistClient, "Feed Song " + StreamingApiTests.Word());
        var id = release.GetProperty("id").GetString()!;

        var fanFeed = Items(await GetAsync(fanClient, "/api/feed")).ToList();
        Assert.Equal((id, false), (fanFeed[0].GetProperty("release").GetProperty("id").GetString(), fanFeed[0].GetProperty("repost").GetBoolean()));
        Assert.Contains(Items(await GetAsync(fanClient, "/api/notifications")),
            n => n.GetProperty("kind").GetString() == "release" && n.GetProperty("releaseId").GetString() == id);

        // Likes are idempotent, counted once, and reach the artist stored and live.
        Assert.Equal(1L, (await (await fanClient.PutAsync($"/api/releases/{id}/like", null)).BodyAsync()).GetProperty("likes").GetInt64());
        Assert.Equal(1L, (await (await fanClient.PutAsync($"/api/releases/{id}/like", null)).BodyAsync()).GetProperty("likes").GetInt64());
        Assert.Equal(id, Assert.Single(Items(await GetAsync(fanClient, $"/api/users/{fan.User.Id}/likes"))).GetProperty("id").GetString());

        // The fan's repost reaches the friend who follows the fan.
        Assert.Equal(1L, (await (await fanClient.PutAsync($"/api/releases/{id}/repost", null)).BodyAsync()).GetProperty("reposts").GetInt64());
        var friendFeed = Assert.Single(Items(await GetAsync(friendClient, "/api/feed")));
        Assert.Equal((id, true, fan.User.Id.ToString()), (friendFeed.GetProperty("release").GetProperty("id").GetString(),
            friendFeed.GetProperty("repost").GetBoolean(), friendFeed.GetProperty("actorId").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await artistClient.PutAsync($"/api/releases/{id}/repost", null)).StatusCode);

        // Each listener sees their own marks, over REST and GraphQL.
        var other = Guid.NewGuid();
        var marks = await GetAsync(fanClient, $"/api/releases/marks?ids={id},{other}");
        Assert.Equal([id], marks.GetProperty("liked").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([id], marks.GetProperty("reposted").EnumerateArray().Select(e => e.GetString()));
        Assert.Empty((await GetAsync(friendClient, $"/api/releases/marks?ids={id}")).GetProperty("liked").EnumerateArray());
        Assert.Equal(HttpStatusCode.BadRequest, (await fanClient.GetAsync("/api/releases/marks?ids=nope")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fanClient.GetAsync("/api/releases/marks")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fanClient.GetAsync($"/api/releases/marks?ids={string.Join(',', Enumerable.Range(0, 101).Select(_ => Guid.NewGuid()))}")).StatusCode);
        var graph = await GraphQLApiTests.QueryAsync(fanClient, "query($id: ID!) { release(id: $id) { likedByMe repostedByMe } }", new { id });
        Assert.Equal((true, true), (graph.GetProperty("data").GetProperty("release").GetProperty("likedByMe").GetBoolean(), graph.GetProperty("data").GetProperty("release").GetProperty("repostedByMe").GetBoolean()));
        var anonymous = await GraphQLApiTests.QueryAsync(platform.CreateClient(), "query($id: ID!) { release(id: $id) { likedByMe } }", new { id });
        Assert.False(anonymous.GetProperty("data").GetProperty("release").GetProperty("likedByMe").GetBoolean());

        var notifications = await GetAsync(artistClient, "/api/notifications");
        Assert.Equal(["repost", "like", "follow"], Items(notifications).Select(n => n.GetProperty("kind").GetString()));
        Assert.Equal(3, notifications.GetProperty("unread").GetInt64());
        await artistClient.PostAsync("/api/notifications/read", null);
        Assert.Equal(0, (await GetAsync(artistClient, "/api/notifications")).GetProperty("unread").GetInt64());
        // Live: the like and the repost (the follow came right after connecting, before the hub may have subscribed).
        string[] LiveKinds()
        {
            lock (live.Received)
            {
                return [.. live.Received.Where(r => (string)r[0]! == "Notification").Select(r => ((JsonElement)r[1]!).GetProperty("kind").GetString()!)];
            }
        }

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(LiveKinds().Contains("like") && LiveKinds().Contains("repost")) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains("like", LiveKinds());
        Assert.Contains("repost", LiveKinds());

        // Undo: unlike and unfollow.
        Assert.Equal(0L, (await (await fanClient.DeleteAsync($"/api/releases/{id}/like")).BodyAsync()).GetProperty("likes").GetInt64());
        Assert.Empty(Items(await GetAsync(fanClient, $"/api/users/{fan.User.Id}/likes")));
        await fanClient.DeleteAsync($"/api/users/{artist.User.Id}/follow");
        Assert.DoesNotContain(Items(await GetAsync(fanClient, "/api/feed")), f => f.GetProperty("release").GetProperty("id").GetString() == id);
        Assert.Equal(fan.User.Id.ToString(), Assert.Single(Items(await GetAsync(friendClient, $"/api/users/{friend.User.Id}/following"))).GetProperty("id").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await fanClient.PutAsync($"/api/users/{fan.User.Id}/follow", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await fanClient.PutAsync($"/api/users/{Guid.NewGuid()}/follow", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.CreateClient().GetAsync("/api/feed")).StatusCode);
    }

    [Fact]
    public async Task Comments_SitAtTimePositions_WithReplies_AndStayText()
    {
        var artist = await platform.RegisterAsync();
        var fan = await platform.RegisterAsync();
        using var artistClient = platform.CreateClient(artist.AccessToken);
        using var fanClient = platform.CreateClient(fan.AccessToken);
        var id = (await StreamingApiTests.QuickReleaseAsync(artistClient, "Talk " + StreamingApiTests.Word())).GetProperty("id").GetString()!;

        var script = "<script>alert('x')</script> & \"quotes\"";
        var late = await (await fanClient.PostAsJsonAsync($"/api/releases/{id}/comments", new { text = script, atSeconds = 2.5 })).BodyAsync();
        var early = await (await fanClient.PostAsJsonAsync($"/api/releases/{id}/comments", new { text = "the intro!", atSeconds = 0.5 })).BodyAsync();
        var reply = await artistClient.PostAsJsonAsync($"/api/releases/{id}/comments", new { text = "thanks", parentId = late.GetProperty("id").GetString() });
        Assert.Equal(HttpStatusCode.Created, reply.StatusCode);
        var replyBody = await reply.BodyAsync();
        Assert.Equal(2.5, replyBody.GetProperty("atSeconds").GetDouble());

        var listed = await platform.CreateClient().GetAsync($"/api/releases/{id}/comments");
        Assert.Equal("application/json", listed.Content.Headers.ContentType?.MediaType);
        var comments = Items(await listed.BodyAsync()).ToList();
        Assert.Equal(["the intro!", script, "thanks"], comments.Select(c => c.GetProperty("text").GetString()));
        Assert.Equal(3, (await GetAsync(fanClient, $"/api/releases/{id}")).GetProperty("comments").GetInt64());
        var paged = await GetAsync(fanClient, $"/api/releases/{id}/comments?first=2");
        Assert.Equal("thanks", Assert.Single(Items(await GetAsync(fanClient, paged.GetProperty("next").GetString()!))).GetProperty("text").GetString());

        async Task Refused(object body, string field)
        {
            var response = await fanClient.PostAsJsonAsync($"/api/releases/{id}/comments", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, await response.Content.ReadAsStringAsync());
        }

        await Refused(new { text = "", atSeconds = 1 }, "text");
        await Refused(new { text = new string('a', 1001), atSeconds = 1 }, "text");
        await Refused(new { text = "too late", atSeconds = 99 }, "atSeconds");
        await Refused(new { text = "deep", parentId = replyBody.GetProperty("id").GetString() }, "parentId");
        await Refused(new { text = "nowhere", parentId = Guid.NewGuid() }, "parentId");

        // Its author or the release's owner may delete a comment; with it go its replies.
        Assert.Equal(HttpStatusCode.Forbidden, (await fanClient.DeleteAsync($"/api/releases/{id}/comments/{replyBody.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await artistClient.DeleteAsync($"/api/releases/{id}/comments/{late.GetProperty("id").GetString()}")).StatusCode);
        Assert.Equal(["the intro!"], Items(await GetAsync(fanClient, $"/api/releases/{id}/comments")).Select(c => c.GetProperty("text").GetString()));
        Assert.Equal(1, (await GetAsync(fanClient, $"/api/releases/{id}")).GetProperty("comments").GetInt64());
        Assert.Equal(HttpStatusCode.NoContent, (await fanClient.DeleteAsync($"/api/releases/{id}/comments/{early.GetProperty("id").GetString()}")).StatusCode);
    }

    [Fact]
    public async Task Plays_CountAfterListening_OncePerListenerPer30Seconds()
    {
        var artist = await platform.RegisterAsync();
        using var artistClient = platform.CreateClient(artist.AccessToken);
        using var listener = platform.CreateClient();
        var id = (await StreamingApiTests.QuickReleaseAsync(artistClient, "Loop " + StreamingApiTests.Word())).GetProperty("id").GetString()!;

        async Task<JsonElement> PlayAsync(string? playId) => await (await listener.PostAsJsonAsync($"/api/releases/{id}/plays", new { playId })).BodyAsync();

        // The release is 3 s long: a play counts after 3 s of listening, not before.
        var started = await PlayAsync(null);
        var playId = started.GetProperty("playId").GetString();
        Assert.InRange(started.GetProperty("countAfterSeconds").GetDouble(), 2.9, 3.1);
        var early = await PlayAsync(playId);
        Assert.False(early.GetProperty("counted").GetBoolean());
        // Many plays started at once by one client still count once.
        var parallel = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PlayAsync(null)));
        await Task.Delay(3200);
        Assert.True((await PlayAsync(playId)).GetProperty("counted").GetBoolean());
        foreach (var other in parallel)
        {
            Assert.False((await PlayAsync(other.GetProperty("playId").GetString())).GetProperty("counted").GetBoolean());
        }

        Assert.Equal(1, (await (await listener.GetAsync($"/api/releases/{id}")).BodyAsync()).GetProperty("plays").GetInt64());
        Assert.Equal(HttpStatusCode.BadRequest, (await listener.PostAsJsonAsync($"/api/releases/{id}/plays", new { playId = "forged" })).StatusCode);
        // A second listener counts on its own.
        var artistPlay = await (await artistClient.PostAsJsonAsync($"/api/releases/{id}/plays", new { })).BodyAsync();
        await Task.Delay(3200);
        var counted = await (await artistClient.PostAsJsonAsync($"/api/releases/{id}/plays", new { playId = artistPlay.GetProperty("playId").GetString() })).BodyAsync();
        Assert.Equal((true, 2L), (counted.GetProperty("counted").GetBoolean(), counted.GetProperty("plays").GetInt64()));
    }

    [Fact]
    public async Task Discovery_SortsTrendingPaginatesAndFindsRelated()
    {
        var artist = await platform.RegisterAsync(displayName: "Chart Maker");
        var fan = await platform.RegisterAsync();
        using var artistClient = platform.CreateClient(artist.AccessToken);
        using var fanClient = platform.CreateClient(fan.AccessToken);
        var word = StreamingApiTests.Word();
        var genre = "genre " + word;
        var first = await StreamingApiTests.QuickReleaseAsync(artistClient, $"Alpha {word}", new { genre, tags = new[] { "dub" }, bpm = 140 });
        var second = await StreamingApiTests.QuickReleaseAsync(artistClient, $"Beta {word}", new { genre, tags = new[] { "dub", "bass" }, bpm = 142 });
        var third = await StreamingApiTests.QuickReleaseAsync(artistClient, $"Gamma {word}", new { genre = "other " + word, tags = new[] { "bass" }, bpm = 90 });
        var (a, b, c) = (first.GetProperty("id").GetString(), second.GetProperty("id").GetString(), third.GetProperty("id").GetString());

        // New first; a like lifts the oldest to the top of the genre's chart.
        Assert.Equal([c, b, a], Items(await GetAsync(fanClient, $"/api/releases?q={word}&sort=new")).Select(r => r.GetProperty("id").GetString()));
        await fanClient.PutAsync($"/api/releases/{a}/like", null);
        await fanClient.PutAsync($"/api/releases/{a}/repost", null);
        Assert.Equal([a, b], Items(await GetAsync(fanClient, $"/api/charts?genre={Uri.EscapeDataString(genre)}")).Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(a, Items(await GetAsync(fanClient, $"/api/releases?q={word}&sort=trending")).First().GetProperty("id").GetString());
        Assert.Contains(await GetAsync(fanClient, "/api/genres?first=100") is var genres ? genres.EnumerateArray() : default,
            g => g.GetProperty("genre").GetString() == genre && g.GetProperty("releases").GetInt64() == 2);

        // Titles outrank descriptions; a page of one leads through a next link to the rest.
        Assert.Equal(b, Items(await GetAsync(fanClient, $"/api/releases?q=beta+{word}")).Single().GetProperty("id").GetString());
        var page = await GetAsync(fanClient, $"/api/releases?q={word}&first=1");
        var seen = new List<string?> { Items(page).Single().GetProperty("id").GetString() };
        while (page.GetProperty("next").GetString() is { } next)
        {
            page = await GetAsync(fanClient, next);
            seen.AddRange(Items(page).Select(r => r.GetProperty("id").GetString()));
        }

        Assert.Equal(new[] { a, b, c }.Order(), seen.Order());
        Assert.Equal(3, seen.Distinct().Count());

        // Related: the same genre, shared tags and a close tempo come first.
        var related = (await GetAsync(fanClient, $"/api/releases/{a}/related")).EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Equal(b, related[0]);
        Assert.DoesNotContain(a, related);

        // The same through GraphQL.
        var graph = await GraphQLApiTests.QueryAsync(fanClient, """
            query($q: String, $g: String) {
              releases(q: $q, sort: "new", first: 2) { nodes { title artist } pageInfo { hasNextPage } }
              charts(genre: $g) { nodes { id likes reposts } }
            }
            """, new { q = word, g = genre });
        var data = graph.GetProperty("data");
        Assert.Equal([$"Gamma {word}", $"Beta {word}"], data.GetProperty("releases").GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("title").GetString()));
        Assert.True(data.GetProperty("releases").GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.Equal(1, data.GetProperty("charts").GetProperty("nodes")[0].GetProperty("likes").GetInt64());
    }

    [Fact]
    public async Task Playlists_AreOrdered_AndPrivateOnesStayPrivate()
    {
        var owner = await platform.RegisterAsync();
        var other = await platform.RegisterAsync();
        using var client = platform.CreateClient(owner.AccessToken);
        using var stranger = platform.CreateClient(other.AccessToken);
        var word = StreamingApiTests.Word();
        var one = (await StreamingApiTests.QuickReleaseAsync(client, $"One {word}")).GetProperty("id").GetString();
        var two = (await StreamingApiTests.QuickReleaseAsync(client, $"Two {word}")).GetProperty("id").GetString();
        var hiddenOfOther = (await StreamingApiTests.QuickReleaseAsync(stranger, $"Theirs {word}", new { visibility = "private" })).GetProperty("id").GetString();

        var created = await client.PostAsJsonAsync("/api/playlists", new { title = "Road trip", isPublic = false });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.BodyAsync()).GetProperty("id").GetString();
        await client.PostAsJsonAsync($"/api/playlists/{id}/items", new { releaseId = one });
        var added = await (await client.PostAsJsonAsync($"/api/playlists/{id}/items", new { releaseId = two, position = 0 })).BodyAsync();
        Assert.Equal([two, one], added.GetProperty("releases").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var moved = await (await client.PutAsJsonAsync($"/api/playlists/{id}/items/{two}", new { position = 1 })).BodyAsync();
        Assert.Equal([one, two], moved.GetProperty("releases").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/playlists/{id}/items", new { releaseId = one })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/playlists/{id}/items", new { releaseId = hiddenOfOther })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PutAsJsonAsync($"/api/playlists/{id}/items/{two}", new { position = 9 })).StatusCode);

        // Private: the owner's alone, in their list too.
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/playlists/{id}")).StatusCode);
        Assert.Empty(Items(await GetAsync(stranger, $"/api/users/{owner.User.Id}/playlists")));
        Assert.Single(Items(await GetAsync(client, $"/api/users/{owner.User.Id}/playlists")));
        await client.PatchAsJsonAsync($"/api/playlists/{id}", new { isPublic = true });
        Assert.Equal(2, (await GetAsync(stranger, $"/api/playlists/{id}")).GetProperty("releases").GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, (await stranger.DeleteAsync($"/api/playlists/{id}/items/{one}")).StatusCode);

        // A release that turns private drops out of what others see.
        await client.PatchAsJsonAsync($"/api/releases/{one}", new { visibility = "private" });
        Assert.Equal([two], (await GetAsync(stranger, $"/api/playlists/{id}")).GetProperty("releases").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        var removed = await (await client.DeleteAsync($"/api/playlists/{id}/items/{two}")).BodyAsync();
        Assert.Equal([one], removed.GetProperty("releases").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/playlists/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/playlists/{id}")).StatusCode);
    }

    [Fact]
    public async Task GraphQL_PublishesLikesFollowsAndComments()
    {
        var artist = await platform.RegisterAsync();
        var fan = await platform.RegisterAsync();
        using var artistClient = platform.CreateClient(artist.AccessToken);
        using var fanClient = platform.CreateClient(fan.AccessToken);
        var assetId = await StreamingApiTests.ReadyAssetAsync(artistClient, AssetsApiTests.StereoSineWav(-18, 3));
        var word = StreamingApiTests.Word();

        var published = await GraphQLApiTests.QueryAsync(artistClient, """
            mutation($a: ID, $t: String) { publishRelease(assetId: $a, title: $t, genre: "Ambient", tags: ["calm"], visibility: "public") { jobId release { id status } } }
            """, new { a = assetId, t = $"Graph {word}" });
        Assert.True(published.TryGetProperty("data", out var publishedData), published.GetRawText());
        var payload = publishedData.GetProperty("publishRelease");
        Assert.Equal("processing", payload.GetProperty("release").GetProperty("status").GetString());
        await JobsApiTests.FinishedAsync(artistClient, payload.GetProperty("jobId").GetString()!);
        var id = payload.GetProperty("release").GetProperty("id").GetString();

        var acted = await GraphQLApiTests.QueryAsync(fanClient, """
            mutation($id: ID!, $u: ID!) {
              likeRelease(id: $id) { likes }
              follow(userId: $u) { followers }
              commentOnRelease(releaseId: $id, text: "nice", atSeconds: 1) { text atSeconds }
            }
            """, new { id, u = artist.User.Id });
        var data = acted.GetProperty("data");
        Assert.Equal((1L, 1L, "nice"), (data.GetProperty("likeRelease").GetProperty("likes").GetInt64(), data.GetProperty("follow").GetProperty("followers").GetInt64(),
            data.GetProperty("commentOnRelease").GetProperty("text").GetString()));

        var read = await GraphQLApiTests.QueryAsync(fanClient, """
            query($id: ID!) {
              release(id: $id) { title genre formats secret }
              releaseStreams(id: $id, format: "opus") { url contentType }
              releaseComments(id: $id) { nodes { text } }
              feed { nodes { repost release { id } } }
            }
            """, new { id });
        var r = read.GetProperty("data");
        Assert.Equal(("ambient", JsonValueKind.Null), (r.GetProperty("release").GetProperty("genre").GetString(), r.GetProperty("release").GetProperty("secret").ValueKind));
        Assert.Equal("audio/ogg", r.GetProperty("releaseStreams")[0].GetProperty("contentType").GetString());
        Assert.Equal(id, r.GetProperty("feed").GetProperty("nodes")[0].GetProperty("release").GetProperty("id").GetString());

        var notifications = await GraphQLApiTests.QueryAsync(artistClient, "{ notifications { nodes { kind } } }");
        Assert.Equal(["comment", "follow", "like"], notifications.GetProperty("data").GetProperty("notifications").GetProperty("nodes").EnumerateArray()
            .Select(n => n.GetProperty("kind").GetString()).Order());
        var refused = await GraphQLApiTests.QueryAsync(fanClient, "mutation($id: ID!) { updateRelease(id: $id, title: \"mine\") { title } }", new { id });
        Assert.Equal("FORBIDDEN", refused.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
    }
}
