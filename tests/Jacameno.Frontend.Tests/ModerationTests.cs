using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>Trust and safety over REST and GraphQL: reports, the admin's queue and actions, the audit log, suspensions, bans and blocking.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class ModerationTests(SharedPlatform platform)
{
    private static IEnumerable<JsonElement> Items(JsonElement page) => page.GetProperty("items").EnumerateArray();

    private async Task<(HttpClient Client, Jacameno.Frontend.Auth.TokenResponse Tokens)> UserAsync(string name = "Someone")
    {
        var tokens = await platform.RegisterAsync(displayName: name);
        return (platform.CreateClient(tokens.AccessToken), tokens);
    }

    [Fact]
    public async Task Reports_OfWhatTheReporterSees_AreQueuedOnce_Limited_AndCheckedForShape()
    {
        var (artist, _) = await UserAsync("Reported Artist");
        var (reporter, reporterTokens) = await UserAsync("Reporter");
        using var admin = platform.CreateClient(await platform.AdminTokenAsync());
        var release = (await StreamingApiTests.QuickReleaseAsync(artist, "Reported " + StreamingApiTests.Word())).GetProperty("id").GetGuid();

        var first = await reporter.PostAsJsonAsync("/api/reports", new { targetType = "release", targetId = release, reason = "spam", details = "Same track uploaded 40 times" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var report = await first.BodyAsync();
        var again = await (await reporter.PostAsJsonAsync("/api/reports", new { targetType = "release", targetId = release, reason = "spam" })).BodyAsync();
        Assert.Equal(report.GetProperty("id").GetString(), again.GetProperty("id").GetString());

        foreach (var (body, status) in new (object, HttpStatusCode)[]
        {
            (new { targetType = "release", targetId = Guid.NewGuid(), reason = "spam" }, HttpStatusCode.NotFound),
            (new { targetType = "user", targetId = reporterTokens.User.Id, reason = "spam" }, HttpStatusCode.BadRequest),
            (new { targetType = "release", targetId = release, reason = "boring" }, HttpStatusCode.BadRequest),
            (new { targetType = "song", targetId = release, reason = "spam" }, HttpStatusCode.BadRequest),
            (new { targetType = "release", targetId = release, reason = "other", details = new string('x', 2001) }, HttpStatusCode.BadRequest),
        })
        {
            Assert.Equal(status, (await reporter.PostAsJsonAsync("/api/reports", body)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await platform.CreateClient().PostAsJsonAsync("/api/reports", new { targetType = "release", targetId = release, reason = "spam" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.GetAsync("/api/admin/moderation/reports")).StatusCode);
        var queue = await AllAsync(admin, "/api/admin/moderation/reports?first=100");
        var queued = Assert.Single(queue, r => r.GetProperty("id").GetString() == report.GetProperty("id").GetString());
        Assert.Equal(reporterTokens.User.Id, queued.GetProperty("reporterId").GetGuid());

        // Twenty reports an hour; the twenty-first is refused, with when to try again.
        for (var i = 0; i < 19; i++)
        {
            var comment = await (await artist.PostAsJsonAsync($"/api/releases/{release}/comments", new { text = $"comment {i}", atSeconds = 1 })).BodyAsync();
            Assert.Equal(HttpStatusCode.Created, (await reporter.PostAsJsonAsync("/api/reports", new { targetType = "comment", targetId = comment.GetProperty("id").GetGuid(), reason = "spam" })).StatusCode);
        }

        var over = await reporter.PostAsJsonAsync("/api/reports", new { targetType = "user", targetId = (await platform.RegisterAsync(verified: false)).User.Id, reason = "spam" });
        Assert.Equal(HttpStatusCode.TooManyRequests, over.StatusCode);
        Assert.NotNull(over.Headers.RetryAfter);
    }

    [Fact]
    public async Task AnAdmin_RemovesAReportedComment_HidesAndRestoresARelease_AndEveryActionIsAudited()
    {
        var (artist, artistTokens) = await UserAsync("Moderated Artist");
        var (troll, trollTokens) = await UserAsync("Troll");
        var (reporter, _) = await UserAsync("Bystander");
        var (adminClient, adminId) = (platform.CreateClient(await platform.AdminTokenAsync()), (await (await platform.CreateClient(await platform.AdminTokenAsync()).GetAsync("/api/users/me")).BodyAsync()).GetProperty("id").GetGuid());
        using var admin = adminClient;
        var word = StreamingApiTests.Word();
        var release = (await StreamingApiTests.QuickReleaseAsync(artist, "Moderated " + word)).GetProperty("id").GetGuid();
        var comment = (await (await troll.PostAsJsonAsync($"/api/releases/{release}/comments", new { text = "nasty words", atSeconds = 1 })).BodyAsync()).GetProperty("id").GetGuid();
        var reported = await GraphQLApiTests.QueryAsync(reporter, "mutation($id: ID!) { report(targetType: \"comment\", targetId: $id, reason: \"harassment\") { id targetType reason } }", new { id = comment });
        Assert.Equal("harassment", reported.GetProperty("data").GetProperty("report").GetProperty("reason").GetString());

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/admin/moderation/actions", new { targetType = "comment", targetId = comment, action = "remove" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/admin/moderation/actions", new { targetType = "comment", targetId = comment, action = "ban", reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reporter.PostAsJsonAsync("/api/admin/moderation/actions", new { targetType = "comment", targetId = comment, action = "remove", reason = "x" })).StatusCode);
        var removed = await admin.PostAsJsonAsync("/api/admin/moderation/actions", new { targetType = "comment", targetId = comment, action = "remove", reason = "Harassment of the artist" });
        Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
        Assert.Empty(Items(await (await platform.CreateClient().GetAsync($"/api/releases/{release}/comments")).BodyAsync()));
        Assert.DoesNotContain(await AllAsync(admin, "/api/admin/moderation/reports?first=100"), r => r.GetProperty("targetId").GetGuid() == comment);
        await SmtpSink.Shared.WaitForAsync(trollTokens.User.Email, m => (m.TextBody ?? "").Contains("Harassment of the artist", StringComparison.Ordinal));

        // Hidden: gone for everyone but its owner, who cannot publish it again; restored: back.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/admin/moderation/actions", new { targetType = "release", targetId = release, action = "hide", reason = "Copyright claim under review" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.CreateClient().GetAsync($"/api/releases/{release}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await artist.GetAsync($"/api/releases/{release}")).StatusCode);
        Assert.Empty(Items(await (await platform.CreateClient().GetAsync($"/api/releases?q={word}")).BodyAsync()));
        var republish = await artist.PostAsync($"/api/releases/{release}/publish", null);
        Assert.Equal(HttpStatusCode.Forbidden, republish.StatusCode);
        Assert.Contains("Copyright claim under review", await republish.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var restored = await GraphQLApiTests.QueryAsync(admin, "mutation($id: ID!) { moderate(targetType: \"release\", targetId: $id, action: \"restore\", reason: \"Claim withdrawn\") { action actorId } }", new { id = release });
        Assert.Equal("restore", restored.GetProperty("data").GetProperty("moderate").GetProperty("action").GetString());
        Assert.Equal(HttpStatusCode.OK, (await platform.CreateClient().GetAsync($"/api/releases/{release}")).StatusCode);

        var log = Items(await (await admin.GetAsync($"/api/admin/moderation/actions?targetType=release&targetId={release}")).BodyAsync()).ToList();
        Assert.Equal(["restore", "hide"], log.Select(e => e.GetProperty("action").GetString()));
        Assert.All(log, e => Assert.Equal(adminId, e.GetProperty("actorId").GetGuid()));
        Assert.Equal("Claim withdrawn", log[0].GetProperty("reason").GetString());
        var graphLog = await GraphQLApiTests.QueryAsync(admin, "query($id: ID) { moderationLog(targetType: \"comment\", targetId: $id) { nodes { action reason } } }", new { id = comment });
        Assert.Equal("remove", graphLog.GetProperty("data").GetProperty("moderationLog").GetProperty("nodes")[0].GetProperty("action").GetString());
        var notAdmin = await GraphQLApiTests.QueryAsync(reporter, "{ moderationQueue { nodes { id } } }");
        Assert.Equal("FORBIDDEN", notAdmin.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        _ = artistTokens;
    }

    [Fact]
    public async Task ASuspendedAccount_WritesNothing_ABannedOne_LosesItsSessionsAndContent_UntilReinstated()
    {
        var email = $"suspect-{Guid.NewGuid():N}@example.org";
        var tokens = await platform.RegisterAsync(email, displayName: "Suspect");
        using var suspect = platform.CreateClient(tokens.AccessToken);
        using var admin = platform.CreateClient(await platform.AdminTokenAsync());
        var release = (await StreamingApiTests.QuickReleaseAsync(suspect, "Suspect's " + StreamingApiTests.Word())).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PostAsJsonAsync("/api/admin/moderation/actions", new { targetType = "user", targetId = tokens.User.Id, action = "suspend", reason = "Spam" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/admin/moderation/actions",
            new { targetType = "user", targetId = tokens.User.Id, action = "suspend", reason = "Comment spam", until = DateTimeOffset.UtcNow.AddDays(3) })).StatusCode);
        var write = await suspect.PostAsJsonAsync("/api/projects", new { name = "New" });
        Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        Assert.Contains("suspended until", await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Comment spam", await write.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mutation = await GraphQLApiTests.QueryAsync(suspect, "mutation { updateMe(bio: \"still here\") { bio } }");
        Assert.Equal("FORBIDDEN", mutation.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await suspect.GetAsync("/api/users/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.CreateClient().GetAsync($"/api/releases/{release}")).StatusCode);

        // Banned: every session ends at once, sign-in is refused with the reason, public content is hidden.
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/admin/moderation/actions", new { targetType = "user", targetId = tokens.User.Id, action = "ban", reason = "Repeated spam" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await suspect.GetAsync("/api/users/me")).StatusCode);
        var login = await platform.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = "correct horse 9" });
        Assert.Equal(HttpStatusCode.Forbidden, login.StatusCode);
        Assert.Contains("Repeated spam", await login.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await platform.CreateClient().GetAsync($"/api/releases/{release}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/admin/moderation/actions", new { targetType = "user", targetId = tokens.User.Id, action = "reinstate", reason = "Appeal accepted" })).StatusCode);
        var back = await platform.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = "correct horse 9" });
        Assert.Equal(HttpStatusCode.OK, back.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.CreateClient().GetAsync($"/api/releases/{release}")).StatusCode);
        using var reinstated = platform.CreateClient((await back.BodyAsync()).GetProperty("accessToken").GetString()!);
        Assert.Equal(HttpStatusCode.Created, (await reinstated.PostAsJsonAsync("/api/projects", new { name = "Fresh start" })).StatusCode);
    }

    [Fact]
    public async Task ABlockedUser_CannotComment_Follow_OrJoinAProject_OfTheBlocker()
    {
        var (artist, artistTokens) = await UserAsync("Blocker");
        var (pest, pestTokens) = await UserAsync("Pest");
        var release = (await StreamingApiTests.QuickReleaseAsync(artist, "Blocked " + StreamingApiTests.Word())).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await pest.PutAsync($"/api/users/{artistTokens.User.Id}/follow", null)).StatusCode);

        var blocked = await (await artist.PutAsync($"/api/users/{pestTokens.User.Id}/block", null)).BodyAsync();
        Assert.Equal(pestTokens.User.Id, blocked.GetProperty("blocked")[0].GetGuid());
        Assert.Equal(HttpStatusCode.NotFound, (await artist.PutAsync($"/api/users/{Guid.NewGuid()}/block", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await artist.PutAsync($"/api/users/{artistTokens.User.Id}/block", null)).StatusCode);
        // The follow ended with the block.
        var followers = await (await artist.GetAsync($"/api/users/{artistTokens.User.Id}/followers")).BodyAsync();
        Assert.Empty(Items(followers));

        Assert.Equal(HttpStatusCode.Forbidden, (await pest.PostAsJsonAsync($"/api/releases/{release}/comments", new { text = "hi", atSeconds = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await pest.PutAsync($"/api/users/{artistTokens.User.Id}/follow", null)).StatusCode);
        var project = (await ProjectsApiTests.CreateAsync(artist, "No pests")).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.Forbidden, (await artist.PutAsJsonAsync($"/api/projects/{project}/collaborators/{pestTokens.User.Id}", new { role = "editor" })).StatusCode);

        var unblocked = await GraphQLApiTests.QueryAsync(artist, "mutation($u: ID!) { unblockUser(userId: $u) }", new { u = pestTokens.User.Id });
        Assert.Equal(0, unblocked.GetProperty("data").GetProperty("unblockUser").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await pest.PutAsync($"/api/users/{artistTokens.User.Id}/follow", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await pest.PostAsJsonAsync($"/api/releases/{release}/comments", new { text = "hi again", atSeconds = 1 })).StatusCode);
    }

    [Fact]
    public async Task ACopyrightNotice_HidesAtOnce_TheOwnerCounters_AndAModeratorRestores()
    {
        var (artist, artistTokens) = await UserAsync("Accused Artist");
        var (claimant, _) = await UserAsync("Label Lawyer");
        var (stranger, _) = await UserAsync("Stranger");
        using var admin = platform.CreateClient(await platform.AdminTokenAsync());
        var release = (await StreamingApiTests.QuickReleaseAsync(artist, "Sampled " + StreamingApiTests.Word())).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.BadRequest, (await claimant.PostAsJsonAsync("/api/takedowns", new { targetType = "release", targetId = release, claimantName = "Label" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await claimant.PostAsJsonAsync("/api/takedowns",
            new { targetType = "user", targetId = artistTokens.User.Id, claimantName = "Label", work = "Song", statement = "Not licensed" })).StatusCode);
        var notice = await claimant.PostAsJsonAsync("/api/takedowns", new { targetType = "release", targetId = release, claimantName = "Big Label", work = "Hit Song (2024)", statement = "Not licensed" });
        Assert.Equal(HttpStatusCode.Created, notice.StatusCode);
        var noticeId = (await notice.BodyAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await platform.CreateClient().GetAsync($"/api/releases/{release}")).StatusCode);
        await SmtpSink.Shared.WaitForAsync(artistTokens.User.Email, m => (m.TextBody ?? "").Contains("Hit Song (2024)", StringComparison.Ordinal));

        // Only the owner answers; others learn nothing about the notice.
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.PostAsJsonAsync($"/api/takedowns/{noticeId}/counter-notice", new { statement = "mine" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await artist.PostAsJsonAsync($"/api/takedowns/{Guid.NewGuid()}/counter-notice", new { statement = "mine" })).StatusCode);
        var countered = await GraphQLApiTests.QueryAsync(artist, "mutation($n: ID!) { counterNotice(noticeId: $n, statement: \"I cleared the sample\") { counterNotice } }", new { n = noticeId });
        Assert.Equal("I cleared the sample", countered.GetProperty("data").GetProperty("counterNotice").GetProperty("counterNotice").GetString());
        var queued = Assert.Single(await AllAsync(admin, "/api/admin/moderation/reports?first=100"), r => r.GetProperty("id").GetGuid() == noticeId);
        Assert.True(queued.GetProperty("takedown").GetBoolean());
        Assert.Equal("I cleared the sample", queued.GetProperty("counterNotice").GetString());

        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsJsonAsync("/api/admin/moderation/actions", new { targetType = "release", targetId = release, action = "restore", reason = "Counter-notice accepted" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await platform.CreateClient().GetAsync($"/api/releases/{release}")).StatusCode);
        Assert.DoesNotContain(await AllAsync(admin, "/api/admin/moderation/reports?first=100"), r => r.GetProperty("id").GetGuid() == noticeId);
    }

    private static async Task<List<JsonElement>> AllAsync(HttpClient client, string url)
    {
        var all = new List<JsonElement>();
        string? next = url;
        while (next is not null)
        {
            var page = await (await client.GetAsync(next)).BodyAsync();
            all.AddRange(Items(page));
            next = page.TryGetProperty("next", out var link) && link.ValueKind == JsonValueKind.String ? link.GetString() : null;
        }

        return all;
    }
}
