using System.Net;
using System.Net.Http.Json;

namespace Jacameno.Frontend.Tests.Attacks;

/// <summary>Invitations as a way to learn who has an account, or to join a project meant for someone else.</summary>
[Collection(EmbeddedPlatformCollection.Name)]
public sealed class InvitationAttacks(SharedPlatform platform)
{
    [Fact]
    public async Task InvitingAnAddress_AnswersAlike_WithOrWithoutAnAccount()
    {
        using var owner = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var project = (await ProjectsApiTests.CreateAsync(owner, "probe")).GetProperty("id").GetString()!;
        var member = $"member-{Guid.NewGuid():N}@example.org";
        await platform.RegisterAsync(member);
        var nobody = $"nobody-{Guid.NewGuid():N}@example.org";

        var known = await owner.PostAsJsonAsync($"/api/projects/{project}/invitations", new { email = member, role = "editor" });
        var unknown = await owner.PostAsJsonAsync($"/api/projects/{project}/invitations", new { email = nobody, role = "editor" });
        Assert.Equal((HttpStatusCode.Accepted, HttpStatusCode.Accepted), (known.StatusCode, unknown.StatusCode));
        static string Shape(string body, string email) => System.Text.RegularExpressions.Regex.Replace(body.Replace(email, "x", StringComparison.Ordinal), "\"invitedAt\":\"[^\"]+\"", "");
        Assert.Equal(Shape(await known.Content.ReadAsStringAsync(), member), Shape(await unknown.Content.ReadAsStringAsync(), nobody));

        // Neither joined: the project's people are the owner alone, and both wait as invitations.
        var document = await (await owner.GetAsync($"/api/projects/{project}")).BodyAsync();
        Assert.Equal(1, document.GetProperty("collaborators").GetArrayLength());
        var pending = await (await owner.GetAsync($"/api/projects/{project}/invitations")).BodyAsync();
        Assert.Equal([member, nobody], pending.EnumerateArray().Select(i => i.GetProperty("email").GetString()).Order());
    }

    [Fact]
    public async Task AnInvitationLink_WorksOnlyForTheVerifiedInvitedAddress_AndOnce()
    {
        using var owner = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var project = (await ProjectsApiTests.CreateAsync(owner, "band")).GetProperty("id").GetString()!;
        var invitedEmail = $"invited-{Guid.NewGuid():N}@example.org";
        var invited = await platform.RegisterAsync(invitedEmail, verified: false);
        Assert.Equal(HttpStatusCode.Accepted, (await owner.PostAsJsonAsync($"/api/projects/{project}/invitations", new { email = invitedEmail, role = "viewer" })).StatusCode);
        var token = await platform.MailedTokenAsync(invitedEmail, "invitations/accept");

        // Someone else who got hold of the link.
        using var thief = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        var stolen = await thief.PostAsJsonAsync("/api/invitations/accept", new { token });
        Assert.Equal(HttpStatusCode.Forbidden, stolen.StatusCode);
        Assert.Contains("another address", await stolen.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The invited address, not yet verified: told why, and the link still works afterwards.
        using var invitee = platform.CreateClient(invited.AccessToken);
        var early = await invitee.PostAsJsonAsync("/api/invitations/accept", new { token });
        Assert.Equal(HttpStatusCode.Forbidden, early.StatusCode);
        Assert.Contains("Confirm your email", await early.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await platform.VerifyEmailAsync(invitedEmail);
        var joined = await invitee.PostAsJsonAsync("/api/invitations/accept", new { token });
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);
        var membership = await joined.BodyAsync();
        Assert.Equal((project, "viewer"), (membership.GetProperty("projectId").GetString(), membership.GetProperty("role").GetString()));
        Assert.Equal(HttpStatusCode.OK, (await invitee.GetAsync($"/api/projects/{project}")).StatusCode);

        Assert.Equal(HttpStatusCode.BadRequest, (await invitee.PostAsJsonAsync("/api/invitations/accept", new { token })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await invitee.PostAsJsonAsync("/api/invitations/accept", new { token = "forged" })).StatusCode);
        Assert.Equal(0, (await (await owner.GetAsync($"/api/projects/{project}/invitations")).BodyAsync()).GetArrayLength());
    }

    [Fact]
    public async Task OnlyTheOwner_InvitesOrSeesInvitations()
    {
        var ownerTokens = await platform.RegisterAsync();
        using var owner = platform.CreateClient(ownerTokens.AccessToken);
        var project = (await ProjectsApiTests.CreateAsync(owner, "mine")).GetProperty("id").GetString()!;
        var editor = await platform.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await owner.PutAsJsonAsync($"/api/projects/{project}/collaborators/{editor.User.Id}", new { role = "editor" })).StatusCode);

        using var editorClient = platform.CreateClient(editor.AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, (await editorClient.PostAsJsonAsync($"/api/projects/{project}/invitations", new { email = "x@example.org", role = "editor" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await editorClient.GetAsync($"/api/projects/{project}/invitations")).StatusCode);
        using var stranger = platform.CreateClient((await platform.RegisterAsync()).AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/api/projects/{project}/invitations")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsJsonAsync($"/api/projects/{project}/invitations", new { email = "not an address", role = "editor" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await owner.PostAsJsonAsync($"/api/projects/{project}/invitations", new { email = "y@example.org", role = "owner" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await owner.DeleteAsync($"/api/projects/{project}/invitations/y@example.org")).StatusCode);
    }
}
