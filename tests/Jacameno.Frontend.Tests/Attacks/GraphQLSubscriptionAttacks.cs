using System.Net.Http.Json;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>
/// GraphQL over WebSocket: a socket is a long-lived request, so what HTTP checks once per request (who you are, how
/// much you ask) must hold for each message and for as long as the socket lives.
/// </summary>
[Collection(KestrelPlatformCollection.Name)]
public sealed class GraphQLSubscriptionAttacks(KestrelPlatform platform)
{
    [Fact]
    public async Task SubscribeBeforeConnectionInit_Closes4401()
    {
        var owner = await platform.RegisterAsync();
        var projectId = (await ProjectsApiTests.CreateAsync(platform.CreateClient(owner.AccessToken), "no init")).GetProperty("id").GetString();
        await using var socket = await GraphQLSocket.ConnectAsync(platform.Address);
        await socket.SubscribeAsync("x", GraphQLSubscriptionTests.OpsSubscription, new { p = projectId });
        Assert.Equal(4401, await socket.ClosedWithAsync());
    }

    [Theory]
    [MemberData(nameof(AuthApiTests.ForgedAccessTokens), MemberType = typeof(AuthApiTests))]
    public async Task ForgedTokens_InConnectionInit_Close4403(string token)
    {
        await using var socket = await GraphQLSocket.ConnectAsync(platform.Address);
        await socket.SendAsync(new { type = "connection_init", payload = new { authorization = $"Bearer {token}" } });
        Assert.Equal(4403, await socket.ClosedWithAsync());
    }

    [Fact]
    public async Task ForgedPersonalAccessTokens_InConnectionInitOrTheQueryString_Close4403()
    {
        var owner = await platform.RegisterAsync();
        var real = await PersonalTokenTests.TokenAsync(platform.CreateClient(owner.AccessToken), "profile");
        var altered = real[..^1] + (real[^1] == 'A' ? 'B' : 'A');
        foreach (var token in new[] { altered, Jacameno.Apps.PersonalTokens.Prefix + "not-a-token", Jacameno.Apps.PersonalTokens.Prefix })
        {
            await using var socket = await GraphQLSocket.ConnectAsync(platform.Address);
            await socket.SendAsync(new { type = "connection_init", payload = new { authorization = $"Bearer {token}" } });
            Assert.Equal(4403, await socket.ClosedWithAsync());
        }

        // In the query string: the socket opens, and its connection_init is refused as a bad token in the payload is.
        await using var byQuery = await GraphQLSocket.ConnectAsync(platform.Address, queryToken: Uri.EscapeDataString(altered));
        await byQuery.SendAsync(new { type = "connection_init" });
        Assert.Equal(4403, await byQuery.ClosedWithAsync());
    }

    [Fact]
    public async Task AnotherUsersProject_IsNotFound_AndARemovedMembersSubscriptionEnds()
    {
        var owner = await platform.RegisterAsync();
        var editor = await platform.RegisterAsync();
        var mallory = await platform.RegisterAsync();
        using var rest = platform.CreateClient(owner.AccessToken);
        var projectId = (await ProjectsApiTests.CreateAsync(rest, "revoked")).GetProperty("id").GetString()!;
        Assert.True((await rest.PutAsJsonAsync($"/api/projects/{projectId}/collaborators/{editor.User.Id}", new { role = "editor" })).IsSuccessStatusCode);

        await using var outsider = await GraphQLSocket.ConnectAsync(platform.Address);
        await outsider.InitAsync(mallory.AccessToken);
        await outsider.SubscribeAsync("o", GraphQLSubscriptionTests.OpsSubscription, new { p = projectId });
        Assert.Equal("NOT_FOUND", GraphQLSubscriptionTests.Code(await outsider.ReceiveForAsync("o")));

        await using var member = await GraphQLSocket.ConnectAsync(platform.Address);
        await member.InitAsync(editor.AccessToken);
        await member.SubscribeAsync("o", GraphQLSubscriptionTests.OpsSubscription, new { p = projectId });
        await GraphQLSubscriptionTests.FirstOpsAsync(member, "o", n =>
            ProjectsApiTests.SubmitAsync(rest, projectId, ProjectsApiTests.Op("track.add", new { trackId = Guid.NewGuid(), name = $"T{n}" })));

        // Removed from the project: the subscription ends with the project query's answer, and nothing follows.
        Assert.True((await rest.DeleteAsync($"/api/projects/{projectId}/collaborators/{editor.User.Id}")).IsSuccessStatusCode);
        var ended = await member.ReceiveForAsync("o", m => m.GetProperty("type").GetString() == "error");
        Assert.Equal("NOT_FOUND", GraphQLSubscriptionTests.Code(ended));
    }

    [Fact]
    public async Task AFloodOfSubscribeIds_StopsAtTheSocketsLimit_TheSocketLives()
    {
        var user = await platform.RegisterAsync();
        await using var socket = await GraphQLSocket.ConnectAsync(platform.Address);
        await socket.InitAsync(user.AccessToken);
        for (var n = 0; n < 40; n++)
        {
            await socket.SubscribeAsync($"s{n}", "subscription { notifications { id } }");
        }

        // This platform allows 10 at once: the others are refused, each with its own error.
        var refused = new HashSet<string>();
        while (refused.Count < 30)
        {
            var message = await socket.ReceiveAsync();
            Assert.Equal(("error", "TOO_MANY_REQUESTS"), (message.GetProperty("type").GetString(), GraphQLSubscriptionTests.Code(message)));
            refused.Add(message.GetProperty("id").GetString()!);
        }

        Assert.Equal(Enumerable.Range(10, 30).Select(n => $"s{n}").ToHashSet(), refused);

        // Completing one makes room for another.
        await socket.SendAsync(new { id = "s0", type = "complete" });
        await socket.SubscribeAsync("q", "{ me { id } }");
        Assert.Equal("next", (await socket.ReceiveForAsync("q")).GetProperty("type").GetString());
    }

    [Fact]
    public async Task OversizeMessage_Closes1009_AndTheHttpSizeLimitsHold()
    {
        var user = await platform.RegisterAsync();
        await using (var socket = await GraphQLSocket.ConnectAsync(platform.Address))
        {
            await socket.InitAsync(user.AccessToken);
            await socket.SubscribeAsync("big", "{ me { id } }", new { padding = new string('a', 300 * 1024) });
            Assert.Equal(1009, await socket.ClosedWithAsync());
        }

        await using var limited = await GraphQLSocket.ConnectAsync(platform.Address);
        await limited.InitAsync(user.AccessToken);
        // Many root fields at once, as over HTTP: refused before anything runs.
        var fields = string.Join(' ', Enumerable.Range(0, 21).Select(n => $"a{n}: me {{ id }}"));
        await limited.SubscribeAsync("wide", $"{{ {fields} }}");
        var wide = await limited.ReceiveForAsync("wide");
        Assert.Equal("error", wide.GetProperty("type").GetString());
        Assert.Contains("root fields", wide.GetProperty("payload")[0].GetProperty("message").GetString());

        // A subscription is one event stream: two root fields are refused by GraphQL's own rule.
        await limited.SubscribeAsync("two", "subscription { notifications { id } jobProgress { id } }");
        Assert.Equal("error", (await limited.ReceiveForAsync("two")).GetProperty("type").GetString());
    }
}
