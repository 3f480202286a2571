using System.Net;
using System.Net.Http.Json;

namespace Jacameno.Frontend.Tests;

/// <summary>Deleting an account: a grace period that signing in calls off, collaborators told, then everything the account made erased.</summary>
public sealed class AccountDeletionTests : IAsyncLifetime
{
    private const string Password = "correct horse 9";
    private EmbeddedPlatform platform = null!;

    public Task InitializeAsync()
    {
        platform = new EmbeddedPlatform(EmbeddedPlatform.NewDataDirectory(), new Dictionary<string, string?> { ["Jacameno:Accounts:DeletionGracePeriod"] = "00:00:03" });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await platform.DisposeAsync();

    [Fact]
    public async Task ADeletedAccount_IsErasedAfterTheGrace_WithItsReleasesProjectsAndUploads_AndItsCollaboratorsAreTold()
    {
        var email = $"leaving-{Guid.NewGuid():N}@example.org";
        var owner = await platform.RegisterAsync(email, displayName: "Leaving Larry");
        var collaborator = await platform.RegisterAsync(displayName: "Staying Sue");
        using var client = platform.CreateClient(owner.AccessToken);
        var release = (await StreamingApiTests.QuickReleaseAsync(client, "Last song " + StreamingApiTests.Word())).GetProperty("id").GetString();
        var project = (await ProjectsApiTests.CreateAsync(client, "Shared jam")).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/projects/{project}/collaborators/{collaborator.User.Id}", new { role = "editor" })).StatusCode);

        using var wrong = new HttpRequestMessage(HttpMethod.Delete, "/api/users/me") { Content = JsonContent.Create(new { password = "not it" }) };
        Assert.Equal(HttpStatusCode.BadRequest, (await client.SendAsync(wrong)).StatusCode);
        using var delete = new HttpRequestMessage(HttpMethod.Delete, "/api/users/me") { Content = JsonContent.Create(new { password = Password }) };
        var scheduled = await client.SendAsync(delete);
        Assert.Equal(HttpStatusCode.Accepted, scheduled.StatusCode);
        Assert.True((await scheduled.BodyAsync()).GetProperty("deletionDueAt").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        // Signed out everywhere at once; the collaborator hears about the project, the owner about the date.
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/users/me")).StatusCode);
        await SmtpSink.Shared.WaitForAsync(collaborator.User.Email, m => (m.Subject ?? "").Contains("Shared jam", StringComparison.Ordinal));
        await SmtpSink.Shared.WaitForAsync(email, m => (m.Subject ?? "").Contains("will be deleted", StringComparison.Ordinal));

        using var anonymous = platform.CreateClient();
        for (var wait = 0; wait < 240 && (await anonymous.GetAsync($"/api/users/{owner.User.Id}")).StatusCode != HttpStatusCode.NotFound; wait++)
        {
            await Task.Delay(500);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/users/{owner.User.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync($"/api/releases/{release}")).StatusCode);
        using var staying = platform.CreateClient(collaborator.AccessToken);
        Assert.Equal(HttpStatusCode.NotFound, (await staying.GetAsync($"/api/projects/{project}")).StatusCode);
        Assert.Empty((await (await anonymous.GetAsync("/api/users?search=Leaving")).BodyAsync()).GetProperty("items").EnumerateArray());
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/auth/login", new { email, password = Password })).StatusCode);
        // The address is free again.
        var again = await platform.RegisterAsync(email, displayName: "Larry Returns");
        Assert.NotEqual(owner.User.Id, again.User.Id);
    }

    [Fact]
    public async Task SigningInDuringTheGrace_KeepsTheAccount()
    {
        var email = $"doubting-{Guid.NewGuid():N}@example.org";
        var user = await platform.RegisterAsync(email);
        using var client = platform.CreateClient(user.AccessToken);
        var graph = await GraphQLApiTests.QueryAsync(client, "mutation { deleteMyAccount(password: \"correct horse 9\") }");
        Assert.True(graph.GetProperty("data").TryGetProperty("deleteMyAccount", out _), graph.ToString());

        var login = await (await platform.CreateClient().PostAsJsonAsync("/api/auth/login", new { email, password = Password })).BodyAsync();
        Assert.Equal(System.Text.Json.JsonValueKind.Null, login.GetProperty("user").GetProperty("deletionDueAt").ValueKind);
        await Task.Delay(TimeSpan.FromSeconds(8));
        using var back = platform.CreateClient(login.GetProperty("accessToken").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await back.GetAsync("/api/users/me")).StatusCode);
    }
}
